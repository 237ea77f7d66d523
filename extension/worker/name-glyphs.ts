import { NAME_GLYPHS_PATH, NameGlyphs } from "../../shared/api/client-glyphs";

// Worker-only (zod): the popup bundle never imports this.

/** [absolute URL of a woff2 file on the hub, CSS unicode-range] */
export type GlyphFace = [url: string, unicodeRange: string];

/**
 * Asks the hub which of its font files draw the rare characters in these slices
 * (shared/rare/name-slices.ts). None when the hub does not answer, or answers something else: the
 * popup then draws the name with the system's fonts.
 */
export async function askNameGlyphs(
  hubUrl: string,
  slices: readonly number[],
  fetchFn: typeof fetch = fetch,
): Promise<GlyphFace[]> {
  if (slices.length === 0) return [];
  const base = hubUrl.replace(/\/+$/, "");
  try {
    const query = slices.map((s) => s.toString(16)).join(",");
    const res = await fetchFn(`${base}${NAME_GLYPHS_PATH}?slices=${query}`, { credentials: "omit" });
    if (!res.ok) return [];
    const parsed = NameGlyphs.safeParse(await res.json());
    if (!parsed.success) return [];
    return parsed.data.faces.map(([path, range]) => [new URL(path, `${base}/`).href, range]);
  } catch {
    return [];
  }
}
