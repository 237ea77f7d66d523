import { describe, expect, it } from "vitest";
import { askNameGlyphs } from "../../../extension/worker/name-glyphs";
import { nameGlyphSlices } from "../../../shared/rare/name-slices";

// Which glyph files a name needs, and what the worker makes of the hub's answer.

describe("the slices of a name", () => {
  it("are those of its characters outside the Unified Ideographs, each once", () => {
    expect(nameGlyphSlices("王芳")).toEqual([]);
    expect(nameGlyphSlices("JOHN SMITH")).toEqual([]);
    expect(nameGlyphSlices("王𫖮")).toEqual([0x2b5]);
    expect(nameGlyphSlices("𫖮㐀𫖯")).toEqual([0x34, 0x2b5]);
  });
});

const answer = (status: number, body: unknown): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

describe("askNameGlyphs", () => {
  const face = ["/static/assets/rare/n2b5.0123abcd.woff2", "U+2B5AE, U+2B5B0"];

  it("turns the hub's paths into URLs on the hub, asking for the slices in hex", async () => {
    let asked = "";
    const fetchFn = (async (url: string | URL | Request) => {
      asked = String(url);
      return new Response(JSON.stringify({ faces: [face] }));
    }) as typeof fetch;
    expect(await askNameGlyphs("https://tax.example/", [0x34, 0x2b5], fetchFn)).toEqual([
      ["https://tax.example/static/assets/rare/n2b5.0123abcd.woff2", "U+2B5AE, U+2B5B0"],
    ]);
    expect(asked).toBe("https://tax.example/api/client/name-glyphs?slices=34,2b5");
  });

  it("keeps the system's fonts when the hub is down, refuses, or answers anything else", async () => {
    const down = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    expect(await askNameGlyphs("http://127.0.0.1:9", [0x2b5], down)).toEqual([]);
    expect(await askNameGlyphs("http://h", [0x2b5], answer(404, {}))).toEqual([]);
    // A font from somewhere else than the hub's rare glyphs is never loaded.
    const elsewhere = { faces: [["https://evil.example/x.woff2", "U+2B5AE"]] };
    expect(await askNameGlyphs("http://h", [0x2b5], answer(200, elsewhere))).toEqual([]);
    expect(await askNameGlyphs("http://h", [], answer(200, { faces: [face] }))).toEqual([]);
  });
});
