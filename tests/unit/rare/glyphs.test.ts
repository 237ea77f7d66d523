import { describe, expect, it } from "vitest";
import { buildRareGlyphs, type RadicalFile, unicodeRange } from "../../../scripts/rare-glyphs";

// The build step that ships the picker's glyphs (scripts/rare-glyphs.ts), on a small index. It reads
// the source fonts from Debian's packages (fetched into ~/.cache/shiming-rare on first use).

describe("the unicode-range of a font file", () => {
  it("lists the code points, runs merged", () => {
    expect(unicodeRange([0x2b5ae, 0x4e00, 0x4e01, 0x4e02, 0x2b5b0])).toBe("U+4E00-4E02,U+2B5AE,U+2B5B0");
    expect(unicodeRange([0x4e00, 0x4e00])).toBe("U+4E00");
  });
});

describe("the glyphs built for a small index", () => {
  it("gives each stroke page its own font file and leaves out what no font draws", async () => {
    const lines: string[] = [];
    const built = await buildRareGlyphs(
      {
        source: "test",
        radicals: [
          ["32", "土", 3],
          ["212'''", "\u{31DE5}", 11],
        ],
        // U+2EBF0 (Ext I) is drawn by none of the fonts; the radical 𱷥 (Ext H) neither.
        cells: { "32": { "8": "埠𫖮\u{2EBF0}", "2": "圣" }, "212'''": { "6": "\u{31DE6}" } },
      },
      { baseUrl: "/static/assets/", log: (l) => lines.push(l) },
    );
    const names = [...built.files.keys()];
    const json = names.find((n) => /^rare\/r0\.[0-9a-f]+\.json$/.test(n)) ?? "";
    const radical = JSON.parse(String(built.files.get(json))) as RadicalFile;
    expect(radical.residual).toEqual({ "2": "圣", "8": "埠𫖮" });
    // By Unihan's kTotalStrokes (圣 5, 埠 11, 𫖮 12), not residual + the radical's own.
    expect(radical.total).toEqual({ "5": "圣", "11": "埠", "12": "𫖮" });
    const page8 = radical.faces.filter(([url]) => /\/rare\/p0-8\./.test(url));
    // One file per source font drawing them, each with the exact code points it holds.
    expect(page8.flatMap(([, range]) => range.split(",")).sort()).toEqual(["U+2B5AE", "U+57E0"]);
    for (const [url] of radical.faces) {
      const file = built.files.get(url.replace("/static/assets/", "")) as Uint8Array;
      expect(Buffer.from(file).subarray(0, 4).toString("latin1")).toBe("wOF2");
    }
    expect(built.pickerModule).not.toContain("\u{31DE5}");
    expect(built.dropped.sort()).toEqual(["\u{2EBF0}", "\u{31DE6}"]);
    expect(lines.join("\n")).toMatch(
      /left out: 2 listed characters that no font draws, and the radicals 212'''/,
    );
  }, 120_000);
});
