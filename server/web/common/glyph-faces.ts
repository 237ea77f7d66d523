import { NAME_FACES } from "./name-glyph-data";

// Fonts built with the pages (scripts/rare-glyphs.ts) for characters a PC may not have: each face has the
// exact unicode-range of its characters, so the browser fetches a file only when one of them is shown.

/** [font file URL, CSS unicode-range] */
export type FaceSpec = [url: string, unicodeRange: string];

/** The family that draws rare characters in names wherever they are shown (base.css puts it in --font). */
export const NAME_FAMILY = "ShimingRare";

const added = new Set<string>();

/** Registers the faces under a family, once; nothing is downloaded until a character in range is drawn. */
export function registerFaces(family: string, faces: readonly FaceSpec[]): void {
  if (typeof FontFace === "undefined" || typeof document === "undefined") return;
  for (const [url, unicodeRange] of faces) {
    const key = `${family}|${url}`;
    if (added.has(key)) continue;
    added.add(key);
    document.fonts.add(
      new FontFace(family, `url(${url}) format("woff2")`, { unicodeRange, display: "block" }),
    );
  }
}

/** Call once per page: names with rare characters then draw on a PC without extension fonts. */
export function registerNameGlyphs(): void {
  registerFaces(NAME_FAMILY, NAME_FACES);
}

/** A CSS font-family value: the family first, then the page's usual rare-character stack. */
export function familyWithFallback(family: string): string {
  return `"${family}", var(--font-rare)`;
}
