import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { EXTENSION_ID } from "../../../shared/extension-id";
import { nameGlyphSlices } from "../../../shared/rare/name-slices";
import { testHub } from "../../support/hub-nodes";

// The extension's popup draws a name's rare characters with the pages' glyph files: the hub tells it
// which files a name's slices need, and lets it load them from its own origin (fonts load in CORS mode).
// Needs the built pages (npm run build:web).

const POPUP_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

describe("GET /api/client/name-glyphs", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await testHub();
  });
  afterAll(() => hub.close());

  const ask = (query: string) =>
    fetch(`${hub.url}/api/client/name-glyphs?slices=${query}`, { headers: { origin: POPUP_ORIGIN } });

  it("names the file of 𫖮's slice, which any origin may load as a font", async () => {
    expect(nameGlyphSlices("王𫖮")).toEqual([0x2b5]);
    const res = await ask("2b5");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const { faces } = (await res.json()) as { faces: [string, string][] };
    expect(faces.length).toBeGreaterThan(0);
    for (const [url, range] of faces) {
      expect(url).toMatch(/^\/static\/assets\/rare\/n2b5\.[0-9a-f]+\.woff2$/);
      expect(range).toMatch(/^U\+/);
    }
    const font = await fetch(`${hub.url}${faces[0]?.[0]}`, { headers: { origin: POPUP_ORIGIN } });
    expect(font.status).toBe(200);
    expect(font.headers.get("access-control-allow-origin")).toBe("*");
    const bytes = new Uint8Array(await font.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe("wOF2");
    // One slice, not the whole set: tens of KB.
    expect(bytes.length).toBeLessThan(200_000);
  });

  it("answers several slices at once, and nothing for a slice no name character is in", async () => {
    const one = (await (await ask("2b5")).json()) as { faces: unknown[] };
    const both = (await (await ask("34,2b5")).json()) as { faces: unknown[] };
    expect(both.faces.length).toBeGreaterThan(one.faces.length);
    expect(await (await ask("4e")).json()).toEqual({ faces: [] }); // 一…: every Chinese font has them
  });

  it("refuses a malformed question", async () => {
    for (const q of [
      "",
      "xyz",
      "2b5,,34",
      "12345",
      Array.from({ length: 17 }, (_, i) => i + 0x34)
        .map((n) => n.toString(16))
        .join(","),
    ]) {
      const res = await ask(q);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe("BAD_MESSAGE");
    }
  });
});
