// The rare-character (生僻字) picker: choose a radical, then the residual stroke count, then the
// character (seed 2.1: "选择生僻字偏旁部首，根据生僻字笔画数选择左侧笔画数选框，查找对应生僻字").

export interface RareIndex {
  source: string;
  /** [radical key as in kRSUnicode ("120" or the variant "120'"), its character, its own stroke count] */
  radicals: [key: string, char: string, strokes: number][];
  /** radical key → residual strokes → the characters, mainland (G source) ones first. */
  cells: Record<string, Record<string, string>>;
}

export interface RadicalEntry {
  key: string;
  char: string;
  strokes: number;
  /** A simplified or other variant form of a Kangxi radical (kRSUnicode marks it with '). */
  variant: boolean;
}

export function radicals(index: RareIndex): RadicalEntry[] {
  return index.radicals.map(([key, char, strokes]) => ({ key, char, strokes, variant: key.includes("'") }));
}

/** The residual stroke counts that have characters under this radical, ascending. */
export function strokeCounts(index: RareIndex, radical: string): number[] {
  const cell = index.cells[radical];
  return cell
    ? Object.keys(cell)
        .map(Number)
        .sort((a, b) => a - b)
    : [];
}

/** The characters under a radical with this many residual strokes (code points, not UTF-16 units). */
export function characters(index: RareIndex, radical: string, residualStrokes: number): string[] {
  return [...(index.cells[radical]?.[String(residualStrokes)] ?? "")];
}
