import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";

// What every bench suite shares: the machine it ran on, medians with spread, one result shape.

export interface Figure {
  /** What was measured, as a user would ask it. */
  metric: string;
  unit: string;
  /** The median of the runs. */
  median: number;
  min: number;
  max: number;
  runs: number;
  /** The goal from the issue, if any, e.g. ">= 5000" or "<= 60". */
  target?: string;
  note?: string;
}

export type Sample = { value: number; unit: string; target?: string; note?: string };

export interface Suite {
  name: string;
  /** Runs this suite takes when `--runs` is not given (the slow ones take fewer). */
  runs?: number;
  /** One run (`i` of `of`); the harness repeats it and keeps every figure's median and spread. */
  run(i: number, of: number): Promise<Record<string, Sample>>;
  /** After the last run (or a failed one): stop whatever the runs shared (hubs, generators). */
  close?(): Promise<void>;
}

/** Thrown by a suite that cannot run here yet (a missing capability): the bench says so loudly. */
export class SuiteSkipped extends Error {
  override name = "SuiteSkipped";
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}

export function machine(redisUrl: string): Record<string, string | number> {
  const cpu = cpus();
  let redis = "unreachable";
  try {
    const u = new URL(redisUrl);
    const info = execFileSync("redis-cli", ["-h", u.hostname, "-p", u.port || "6379", "info", "server"], {
      encoding: "utf8",
      timeout: 3000,
    });
    redis = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  } catch {}
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    redis,
    // Other work on the box skews every figure: say how busy it was when the run began.
    load1: Number((loadavg()[0] ?? 0).toFixed(2)),
    date: new Date().toISOString(),
  };
}

export async function repeat(suite: Suite, runs: number): Promise<Figure[]> {
  const samples = new Map<string, { values: number[]; unit: string; target?: string; note?: string }>();
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      const run = await suite.run(i, runs);
      console.log(`  run ${i + 1}/${runs} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      for (const [metric, f] of Object.entries(run)) {
        const entry = samples.get(metric) ?? { values: [], unit: f.unit, target: f.target };
        entry.values.push(f.value);
        entry.note = f.note ?? entry.note; // the last run's words (counts, limits hit)
        samples.set(metric, entry);
      }
    }
  } finally {
    await suite.close?.();
  }
  return [...samples].map(([metric, s]) => ({
    metric: `${suite.name}: ${metric}`,
    unit: s.unit,
    median: median(s.values),
    min: Math.min(...s.values),
    max: Math.max(...s.values),
    runs: s.values.length,
    ...(s.target ? { target: s.target } : {}),
    ...(s.note ? { note: s.note } : {}),
  }));
}
