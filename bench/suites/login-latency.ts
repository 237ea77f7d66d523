import { percentile, type Sample, type Suite } from "../lib";
import { requireMessages } from "../support/capability";
import { type BenchHub, profiled, startHub } from "../support/hub";
import { addPeople, BENCH_PASSWORD } from "../support/people";
import { freshDatabase } from "../support/services";
import { spawnWorker, type Worker } from "../support/workers";

// Issue 9 item 3: does password hashing block the hub? Idle client sockets time ping → pong,
// first with nothing else going on, then while password logins (argon2id verify) run flat out from
// another process. Each login lane has its own person: logins of one person wait on each other
// (after a wrong one the next needs a captcha, and a try is reserved before it is verified).

const LANES = 32;
const PINGERS = 100;
const PING_EVERY_MS = 200;
const QUIET_MS = 3000;
const LOAD_MS = 8000;

interface Setup {
  hub: BenchHub;
  pinger: Worker;
  loginer: Worker;
  accounts: string[];
  cleanups: (() => Promise<unknown>)[];
}

export function loginLatencySuite(o: { profile: boolean }): Suite {
  let setup: Setup | null = null;
  return {
    name: "socket latency while logins hash",
    runs: 3,
    async run() {
      setup ??= await start();
      const { hub, pinger, loginer, accounts } = setup;
      await pinger.ask({ type: "window" });
      await new Promise((r) => setTimeout(r, QUIET_MS));
      const quiet = (await pinger.ask<{ rtts: number[] }>({ type: "window" })).rtts;
      const cpu0 = hub.cpuMs();
      const t0 = performance.now();
      const logins = await profiled([hub], "logins", o.profile, () =>
        loginer.ask<{ latencies: number[]; failures: Record<string, number> }>(
          { type: "logins", url: hub.url, accounts, password: BENCH_PASSWORD, durationMs: LOAD_MS },
          LOAD_MS + 60_000,
        ),
      );
      const wallS = (performance.now() - t0) / 1000;
      const cpu = hub.cpuMs() - cpu0;
      const loaded = (await pinger.ask<{ rtts: number[] }>({ type: "window" })).rtts;
      const failed = Object.entries(logins.failures)
        .map(([k, v]) => `${v}× ${k}`)
        .join("; ");
      const done = logins.latencies.length;
      const out: Record<string, Sample> = {
        "ping p99, quiet": { value: percentile(quiet, 99), unit: "ms", note: `${quiet.length} pings` },
        "ping p50 while logins hash": { value: percentile(loaded, 50), unit: "ms" },
        "ping p99 while logins hash": {
          value: percentile(loaded, 99),
          unit: "ms",
          target: "< 10",
          note: `${loaded.length} pings on ${PINGERS} idle sockets`,
        },
        "ping max while logins hash": { value: Math.max(...loaded), unit: "ms" },
        "password logins per second": {
          value: done / wallS,
          unit: "/s",
          note: `${LANES} lanes, a socket per login${failed ? `; failed: ${failed}` : ""}`,
        },
        "password login p50": { value: percentile(logins.latencies, 50), unit: "ms" },
        "password login p99": { value: percentile(logins.latencies, 99), unit: "ms" },
        "hub CPU per login": { value: cpu / Math.max(1, done), unit: "ms", note: "argon2 threads included" },
      };
      return out;
    },
    async close() {
      const s = setup;
      setup = null;
      for (const c of s?.cleanups ?? []) await c().catch((err) => console.error("  cleanup failed:", err));
    },
  };
}

async function start(): Promise<Setup> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const later = (c: () => Promise<unknown>) => cleanups.unshift(c);
  try {
    const db = await freshDatabase();
    later(() => db.drop());
    const people = await addPeople(db.url, LANES);
    const hub = await startHub({ nodeId: "bench-login", env: { DATABASE_URL: db.url } });
    later(() => hub.stop());
    await requireMessages(hub.url, [
      { type: "login.password", account: "nobody_here", password: "Wrong-password-1" },
    ]);
    const pinger = spawnWorker("logins.ts", "pinger");
    later(() => pinger.stop());
    const loginer = spawnWorker("logins.ts", "loginer");
    later(() => loginer.stop());
    await pinger.ask({ type: "pingers", url: hub.url, sockets: PINGERS, intervalMs: PING_EVERY_MS });
    return { hub, pinger, loginer, accounts: people.map((p) => p.loginName), cleanups };
  } catch (err) {
    for (const c of cleanups) await c().catch(() => {});
    throw err;
  }
}
