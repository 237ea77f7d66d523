import { loadRegionDatabase, regionOf } from "../../server/geo";
import { percentile, type Suite } from "../lib";

// 所在地 for each ticket and each scan: loading the offline database once, then one lookup per address.
let loadMs: number | null = null; // the database is read once per process: the first run's time

export const geoSuite: Suite = {
  name: "ip regions",
  async run() {
    if (loadMs === null) {
      const t0 = performance.now();
      loadRegionDatabase();
      loadMs = performance.now() - t0;
    }
    const v4 = Array.from(
      { length: 100_000 },
      (_, i) => `${1 + ((i * 7919) % 223)}.${(i * 31) % 256}.${(i * 17) % 256}.${i % 256}`,
    );
    const v6 = Array.from(
      { length: 20_000 },
      (_, i) => `240e:${((i * 13) % 65536).toString(16)}::${i.toString(16)}`,
    );
    const each = (ips: string[]) => {
      const times: number[] = [];
      let placed = 0;
      for (const ip of ips) {
        const t = process.hrtime.bigint();
        if (regionOf(ip)) placed += 1;
        times.push(Number(process.hrtime.bigint() - t) / 1e3);
      }
      return { times, placed };
    };
    const a = each(v4);
    const b = each(v6);
    return {
      "database load": { value: loadMs, unit: "ms", note: "once per process" },
      "IPv4 lookup p50": {
        value: percentile(a.times, 50),
        unit: "µs",
        note: `${a.placed} of ${v4.length} placed`,
      },
      "IPv4 lookup p99": { value: percentile(a.times, 99), unit: "µs" },
      "IPv6 lookup p50": {
        value: percentile(b.times, 50),
        unit: "µs",
        note: `${b.placed} of ${v6.length} placed`,
      },
      "IPv6 lookup p99": { value: percentile(b.times, 99), unit: "µs" },
    };
  },
};
