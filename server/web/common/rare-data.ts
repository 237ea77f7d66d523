import type { RadicalEntry, RareIndex } from "../../../shared/rare/lookup";

import type { FaceSpec } from "./glyph-faces";

// The picker's data side, kept pure so it is testable without a DOM. The radical list is a small lazy
// chunk; each radical's characters and font files load when that radical is chosen.

/** One radical's characters, by residual strokes (除部首外笔画数) and by total strokes (kTotalStrokes). */
export interface RareRadical {
  residual: Record<string, string>;
  total: Record<string, string>;
  /** The fonts drawing them: one file per residual-stroke page and source font. */
  faces: FaceSpec[];
}

export interface RareSource {
  radicals: RareIndex["radicals"];
  /** The font of the radical buttons. */
  radicalFaces: FaceSpec[];
  loadRadical(key: string): Promise<RareRadical>;
}

/**
 * A source straight from an index, with no fonts (unit tests, the unbuilt stand-in). Total strokes are
 * taken as residual + the radical's own, which the build replaces with Unihan's kTotalStrokes.
 */
export function sourceFromIndex(index: RareIndex): RareSource {
  return {
    radicals: index.radicals,
    radicalFaces: [],
    async loadRadical(key) {
      const residual = index.cells[key] ?? {};
      const own = index.radicals.find((r) => r[0] === key)?.[2] ?? 0;
      const total: Record<string, string> = {};
      for (const [n, chars] of Object.entries(residual)) {
        const t = String(Number(n) + own);
        total[t] = (total[t] ?? "") + chars;
      }
      return { residual, total, faces: [] };
    },
  };
}

let loading: Promise<RareSource> | undefined;

/** The rare-character data, fetched once on first use; a failed fetch may be retried. */
export function loadRareSource(): Promise<RareSource> {
  loading ??= import("./rare-glyph-data").then(
    (m) => m.loadRareSource(),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** Stroke counts of a page set ("3" → chars), ascending. */
export function countsOf(pages: Record<string, string>): number[] {
  return Object.keys(pages)
    .map(Number)
    .sort((a, b) => a - b);
}

export interface RadicalButton extends RadicalEntry {
  /** For a variant form (纟), the Kangxi radical it stands for (糸), shown beside it. */
  kangxi?: string;
}

export interface RadicalGroup {
  /** The radical's own stroke count: the groups read 1画, 2画, … as in a dictionary's 部首目录. */
  strokes: number;
  radicals: RadicalButton[];
}

/**
 * Radicals grouped by their own stroke count, ascending; within a group in Kangxi order, each variant
 * right after the Kangxi radicals of its number (纟 sits in 3画 with 糸 written beside it).
 */
export function groupRadicals(list: readonly RadicalEntry[]): RadicalGroup[] {
  const kangxi = new Map(list.filter((r) => !r.variant).map((r) => [r.key, r.char]));
  const groups = new Map<number, RadicalButton[]>();
  for (const r of list) {
    const button: RadicalButton = r.variant ? { ...r, kangxi: kangxi.get(r.key.replace(/'+$/, "")) } : r;
    const group = groups.get(r.strokes) ?? [];
    group.push(button);
    groups.set(r.strokes, group);
  }
  const order = (key: string) => Number.parseInt(key, 10) + key.replace(/\d+/, "").length / 10;
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([strokes, radicals]) => ({
      strokes,
      radicals: radicals.sort((a, b) => order(a.key) - order(b.key)),
    }));
}

/** Replaces the selection [start, end) of `value` with `text`; the caret goes right after it. */
export function insertAtCaret(
  value: string,
  start: number | null,
  end: number | null,
  text: string,
): { value: string; caret: number } {
  const from = clamp(start ?? value.length, value.length);
  const to = Math.max(from, clamp(end ?? from, value.length));
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}

function clamp(n: number, max: number): number {
  return Math.min(Math.max(0, n), max);
}

/** "U+20000": shown under the chosen character, since many systems draw extension B–H as boxes. */
export function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}
