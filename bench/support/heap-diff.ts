// What a heap holds more of in `after` than in `before`, by kind of object, per unit of `--per`
// (e.g. the sessions opened between the two snapshots):
//   npx tsx bench/support/heap-diff.ts before.heapsnapshot after.heapsnapshot [--per 4000] [--top 40]
// Groups V8 heap-snapshot nodes by type and name (an object by its constructor, a closure by its
// function, strings and code as one group each) and prints count and self size, largest growth first.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Groups = Map<string, { count: number; bytes: number }>;

function groups(file: string): Groups {
  const s = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const [iType, iName, iSize] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const out: Groups = new Map();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + (iType ?? 0)] ?? 0] ?? "?";
    const name = s.strings[s.nodes[i + (iName ?? 1)] ?? 0] ?? "?";
    const key =
      type === "string" || type === "concatenated string" || type === "sliced string"
        ? "(strings)"
        : type === "code" || type === "number"
          ? `(${type})`
          : `${type}: ${name.length > 60 ? `${name.slice(0, 57)}…` : name}`;
    const g = out.get(key) ?? { count: 0, bytes: 0 };
    g.count += 1;
    g.bytes += s.nodes[i + (iSize ?? 3)] ?? 0;
    out.set(key, g);
  }
  return out;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { per: { type: "string", default: "1" }, top: { type: "string", default: "40" } },
});
const [beforeFile, afterFile] = positionals;
if (!beforeFile || !afterFile)
  throw new Error("usage: heap-diff.ts before.heapsnapshot after.heapsnapshot [--per N]");
const per = Number(values.per);
const before = groups(beforeFile);
const after = groups(afterFile);
const rows = [...after].map(([key, a]) => {
  const b = before.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: (a.count - b.count) / per, bytes: (a.bytes - b.bytes) / per };
});
rows.sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((n, r) => n + r.bytes, 0);
console.log(`growth per ${per}: ${total.toFixed(0)} B in all`);
console.log("    bytes   count  kind");
for (const r of rows.slice(0, Number(values.top)))
  console.log(`${r.bytes.toFixed(0).padStart(9)} ${r.count.toFixed(2).padStart(7)}  ${r.key}`);
