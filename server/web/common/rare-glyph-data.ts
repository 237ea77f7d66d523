import type { RareSource } from "./rare-data";

// Replaced at build time (scripts/rare-glyphs.ts, vite.web.config.ts) by the index filtered to what the
// shipped fonts draw, with a font file per radical/stroke page. This stand-in, used by the unit tests
// and type checks, serves the Unihan index without fonts.
export async function loadRareSource(): Promise<RareSource> {
  const [{ RARE_INDEX }, { sourceFromIndex }] = await Promise.all([
    import("../../../shared/rare"),
    import("./rare-data"),
  ]);
  return sourceFromIndex(RARE_INDEX);
}
