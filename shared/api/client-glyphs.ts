import { z } from "zod";

// GET /api/client/name-glyphs?slices=2b5,2a0 → NameGlyphs: the font files (built with the pages) that
// draw the rare characters of names in those slices (shared/rare/name-slices.ts), for the extension's
// popup, which cannot ship the glyphs of every character (tens of MB). Public, like the pages' fonts.
export const NAME_GLYPHS_PATH = "/api/client/name-glyphs";

/** At most this many slices in one question (a name has a few characters). */
export const MAX_NAME_GLYPH_SLICES = 16;

/** The query: slice numbers in hexadecimal, comma-separated. */
export const NameGlyphsQuery = z
  .string()
  .regex(/^[0-9a-f]{1,4}(,[0-9a-f]{1,4})*$/)
  .transform((s) => [...new Set(s.split(",").map((h) => Number.parseInt(h, 16)))])
  .pipe(z.array(z.number().int()).max(MAX_NAME_GLYPH_SLICES));

export const NameGlyphs = z.object({
  /** [path of a woff2 file on the hub, CSS unicode-range of the characters it draws] */
  faces: z
    .array(
      z.tuple([
        z.string().regex(/^\/static\/assets\/rare\/[\w.-]+\.woff2$/),
        z.string().regex(/^U\+[0-9A-Fa-f?, +U-]+$/),
      ]),
    )
    .max(MAX_NAME_GLYPH_SLICES * 4),
});
export type NameGlyphs = z.infer<typeof NameGlyphs>;
