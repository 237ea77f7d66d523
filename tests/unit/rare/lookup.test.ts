import { describe, expect, it } from "vitest";
import { characters, RARE_INDEX, radicals, strokeCounts } from "../../../shared/rare";

const rare = RARE_INDEX;

describe("rare-character picker index", () => {
  it("offers the 214 Kangxi radicals and their simplified variants", () => {
    const all = radicals(rare);
    expect(all.filter((r) => !r.variant)).toHaveLength(214);
    expect(all.find((r) => r.key === "120'")).toMatchObject({ char: "纟", variant: true });
    expect(all.find((r) => r.key === "1")).toMatchObject({ char: "一", strokes: 1 });
  });

  it.each([
    ["a simplified character under a variant radical", "120'", 3, "红"],
    ["a traditional one under the Kangxi radical", "120", 3, "紅"],
    ["an extension A character", "1", 4, "㐀"],
    ["an extension B character, as one code point", "1", 1, "𠀀"],
    ["a common name character", "167", 16, "鑫"],
  ])("finds %s", (_what, radical, strokes, ch) => {
    expect(characters(rare, radical, strokes)).toContain(ch);
  });

  it("lists stroke counts ascending and only where characters exist", () => {
    const counts = strokeCounts(rare, "85'");
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    for (const n of counts) expect(characters(rare, "85'", n).length).toBeGreaterThan(0);
    expect(strokeCounts(rare, "999")).toEqual([]);
  });

  it("puts characters with a mainland source before the others", () => {
    // Under 一 + 3 strokes, 𠀉 (U+20009) has no G source while 𠀊 (U+2000A) has one.
    const cell = characters(rare, "1", 3);
    expect(cell.indexOf("𠀊")).toBeLessThan(cell.indexOf("𠀉"));
    expect(cell.slice(0, 3)).toEqual(["不", "与", "丏"]);
  });

  it("covers extensions A through H", () => {
    const cps = new Set<number>();
    for (const cell of Object.values(rare.cells))
      for (const s of Object.values(cell)) for (const ch of s) cps.add(ch.codePointAt(0) ?? 0);
    const has = (lo: number, hi: number) => [...cps].some((c) => c >= lo && c <= hi);
    expect(has(0x3400, 0x4dbf)).toBe(true); // A
    expect(has(0x20000, 0x2a6df)).toBe(true); // B
    expect(has(0x2a700, 0x2b73f)).toBe(true); // C
    expect(has(0x2b740, 0x2b81f)).toBe(true); // D
    expect(has(0x2b820, 0x2ceaf)).toBe(true); // E
    expect(has(0x2ceb0, 0x2ebef)).toBe(true); // F
    expect(has(0x30000, 0x3134f)).toBe(true); // G
    expect(has(0x31350, 0x323af)).toBe(true); // H
  });
});
