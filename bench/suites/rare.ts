import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { characters, RARE_INDEX, radicals, strokeCounts } from "../../shared/rare";
import { percentile, type Suite } from "../lib";

// Issue 9 item 5: the rare-character picker's lookup (radical + strokes) and its index size.
export const rareSuite: Suite = {
  name: "rare characters",
  async run() {
    const all = radicals(RARE_INDEX);
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = all[i % all.length];
      if (!r) continue;
      const counts = strokeCounts(RARE_INDEX, r.key);
      const t0 = process.hrtime.bigint();
      found += characters(RARE_INDEX, r.key, counts[i % counts.length] ?? 0).length;
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const file = readFileSync(resolve(import.meta.dirname, "../../shared/rare/index.generated.json"));
    return {
      "lookup p99": {
        value: percentile(times, 99),
        unit: "ms",
        target: "< 5",
        note: `${found} characters listed`,
      },
      "index size": { value: file.length / 1024, unit: "KiB" },
      "index size gzip": { value: gzipSync(file).length / 1024, unit: "KiB" },
    };
  },
};
