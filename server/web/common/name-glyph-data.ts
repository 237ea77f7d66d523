import type { FaceSpec } from "./glyph-faces";

// Replaced at build time (scripts/rare-glyphs.ts) by the font slices, 256 code points each, that draw
// the rare characters (CJK Ext A and beyond) in names. Empty here, for unit tests and type checks.
export const NAME_FACES: FaceSpec[] = [];
