// Which glyph file draws a rare character of a name. The page build (scripts/rare-glyphs.ts) cuts the
// glyphs of every character outside the Unified Ideographs block (CJK Ext A and beyond, compatibility
// ideographs) into slices of 256 code points; a page, or the extension's popup, loads only the slices
// of the characters it shows. No zod here: the popup imports it.

/** Beside the slices in the built pages' assets: their list, [url, unicode-range][], for the hub. */
export const NAME_FACES_FILE = "rare/name-faces.json";

/** A slice holds 2^8 code points. */
export const NAME_SLICE_BITS = 8;

/** The slice of a character a PC may lack a font for, or null for one every Chinese font has. */
export function nameGlyphSlice(cp: number): number | null {
  if (cp < 0x3400 || (cp >= 0x4e00 && cp <= 0x9fff)) return null;
  return cp >> NAME_SLICE_BITS;
}

/** The slices the characters of `text` need, ascending, each once. */
export function nameGlyphSlices(text: string): number[] {
  const slices = new Set<number>();
  for (const ch of text) {
    const slice = nameGlyphSlice(ch.codePointAt(0) ?? 0);
    if (slice !== null) slices.add(slice);
  }
  return [...slices].sort((a, b) => a - b);
}
