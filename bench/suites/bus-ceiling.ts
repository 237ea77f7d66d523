import { execFileSync } from "node:child_process";
import type { Suite } from "../lib";

// Issue 9 item 7: the bus's own ceiling here, so the hub's confirmations/s read as a share of it.
export function busCeilingSuite(redisUrl: string): Suite {
  return {
    name: "redis publish ceiling",
    async run() {
      const u = new URL(redisUrl);
      const csv = execFileSync(
        "redis-benchmark",
        [
          "-h",
          u.hostname,
          "-p",
          u.port || "6379",
          "-q",
          "-n",
          "100000",
          "-c",
          "50",
          "--csv",
          "publish",
          "shiming-bench:ceiling",
          "x",
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      const row =
        csv
          .trim()
          .split("\n")
          .at(-1)
          ?.split(",")
          .map((c) => c.replaceAll('"', "")) ?? [];
      return {
        "PUBLISH/s (redis-benchmark, 50 conns)": { value: Number(row[1]), unit: "/s" },
        "PUBLISH p99": { value: Number(row[6]), unit: "ms" },
      };
    },
  };
}
