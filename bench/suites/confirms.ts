import type { Redis } from "ioredis";
import { percentile, type Sample, type Suite } from "../lib";
import { type BenchHub, profiled, startHub } from "../support/hub";
import { addPeople, BENCH_PASSWORD } from "../support/people";
import { redisServerCounters } from "../support/private-redis";
import { benchCluster, freshDatabase, freshRedisPrefix, REDIS_URL, redis } from "../support/services";
import { spawnWorker, type Worker } from "../support/workers";

// Issue 9 item 2: confirmations per second and how fast the client hears of one. Clients wait at a
// QR on node A; scripted phones, logged in with the app's own login, scan and confirm through node B
// (the same node with the in-process bus). Each run is one batch of confirms on hubs kept across the suite's runs (after a warm-up
// batch), so runs differ only by what they measure.

export interface ConfirmOptions {
  clients: number;
  confirms: number;
  concurrency: number;
  lowConcurrency: number;
  lowConfirms: number;
  profile: boolean;
}

const GENERATORS = 2;
const WARM_UP = 400;

export function confirmSuites(o: ConfirmOptions): Suite[] {
  return [
    confirmSuite("one node, memory bus", false, o.confirms, o.concurrency, o),
    confirmSuite("two nodes, Redis", true, o.confirms, o.concurrency, o),
    confirmSuite("two nodes, Redis Cluster", "cluster", o.confirms, o.concurrency, o),
    confirmSuite("one node, memory bus", false, o.lowConfirms, o.lowConcurrency, o),
    confirmSuite("two nodes, Redis", true, o.lowConfirms, o.lowConcurrency, o),
    confirmSuite("two nodes, Redis Cluster", "cluster", o.lowConfirms, o.lowConcurrency, o),
  ];
}

interface Setup {
  hubs: BenchHub[];
  gens: Worker[];
  /** "Look now" hints heard on each node's channel (two nodes only). */
  hints: Map<string, number> | null;
  stats: Redis | null;
  cleanups: (() => Promise<unknown>)[];
}

/** false: one node on the memory bus; true: two nodes on the Redis at REDIS_URL; "cluster": two nodes
 *  on a Redis Cluster (TEST_REDIS_CLUSTER_NODES, or one the bench starts: 3 masters + 3 replicas). */
type Buses = boolean | "cluster";

function confirmSuite(
  label: string,
  twoNodes: Buses,
  total: number,
  concurrency: number,
  o: ConfirmOptions,
): Suite {
  let setup: Setup | null = null;
  const prefix = twoNodes ? freshRedisPrefix() : null;
  const lowLoad = concurrency === o.lowConcurrency;
  const name = `confirms, ${label}, concurrency ${concurrency}`;
  return {
    name,
    runs: 3,
    async run(_i, of) {
      setup ??= await start(twoNodes, prefix?.prefix ?? "", concurrency, o);
      const s = setup;
      const confirms = Math.ceil(total / of); // the flag is the total measured, over all runs
      const cpu0 = s.hubs.map((h) => h.cpuMs());
      const gen0 = s.gens.map((g) => g.cpuMs());
      const redis0 = s.stats ? await redisServerCounters(s.stats) : null;
      s.hints?.clear();
      const t0 = performance.now();
      const parts = await profiled(s.hubs, name, o.profile, () => batch(s.gens, confirms, concurrency));
      const wallS = (performance.now() - t0) / 1000;
      const perHub = s.hubs.map((h, i) => h.cpuMs() - (cpu0[i] ?? 0));
      const hubCpu = perHub.reduce((a, b) => a + b, 0);
      const genCpu = s.gens.reduce((sum, g, i) => sum + g.cpuMs() - (gen0[i] ?? 0), 0);
      const redis1 = s.stats ? await redisServerCounters(s.stats) : null;

      const done = parts.reduce((n, p) => n + p.notifyMs.length, 0);
      const per = (x: number) => x / Math.max(1, done);
      const failed = Object.entries(merge(parts.map((p) => p.failures)))
        .map(([k, v]) => `${v}× ${k}`)
        .join("; ");
      const out: Record<string, Sample> = {
        "confirms per second": {
          value: done / wallS,
          unit: "/s",
          ...(twoNodes && !lowLoad ? { target: ">= 5000" } : {}),
          note: `${done} of ${confirms} logins completed in ${wallS.toFixed(1)} s${failed ? `; failed: ${failed}` : ""}`,
        },
        ...latencyFigures(parts, lowLoad),
        "hub CPU per confirm": {
          value: per(hubCpu),
          unit: "ms",
          note: `${s.hubs.map((h, i) => `${h.nodeId} ${per(perHub[i] ?? 0).toFixed(2)}`).join(", ")}; load generators ${per(genCpu).toFixed(2)} ms/confirm`,
        },
        ...(redis0 && redis1 ? redisFigures(redis0, redis1, done) : {}),
        ...(s.hints ? hintFigures(s.hints, done) : {}),
      };
      return out;
    },
    async close() {
      const s = setup;
      setup = null;
      for (const c of s?.cleanups ?? []) await c().catch((err) => console.error("  cleanup failed:", err));
      await prefix?.cleanup();
    },
  };
}

async function start(twoNodes: Buses, prefix: string, concurrency: number, o: ConfirmOptions) {
  const cleanups: (() => Promise<unknown>)[] = [];
  const later = (c: () => Promise<unknown>) => cleanups.unshift(c);
  try {
    // PostgreSQL for both, so the only difference between them is the bus.
    const db = await freshDatabase();
    later(() => db.drop());
    const cluster = twoNodes === "cluster" ? await benchCluster() : null;
    if (cluster) later(() => cluster.release());
    const url = cluster ? cluster.url : REDIS_URL;
    const env = { DATABASE_URL: db.url, ...(twoNodes ? { REDIS_URL: url, REDIS_PREFIX: prefix } : {}) };
    // The phones' people, logged in through the app's own login (POST /api/app/login).
    const phones = Math.ceil(concurrency / GENERATORS);
    const people = await addPeople(db.url, phones * GENERATORS);
    const hubs: BenchHub[] = [];
    for (const nodeId of twoNodes ? ["bench-a", "bench-b"] : ["bench-a"]) {
      const hub = await startHub({ nodeId, env });
      later(() => hub.stop());
      hubs.push(hub);
    }
    // Clients wait on the first node; phones confirm through the last (the same one, alone).
    const clientHub = hubs[0] as BenchHub;
    const phoneHub = hubs.at(-1) as BenchHub;
    const hints = cluster
      ? await cluster.countHints(prefix, later)
      : twoNodes
        ? await countHints(prefix, later)
        : null;
    const stats = twoNodes === true ? redis() : null; // (a cluster's counters are spread over its masters)
    if (stats) later(() => stats.quit());
    const gens = Array.from({ length: GENERATORS }, (_, i) => spawnWorker("confirms.ts", `confirms-${i}`));
    for (const g of gens) later(() => g.stop());
    const setups = await Promise.all(
      gens.map((g, i) =>
        g.ask<{ waiting: number; failures: Record<string, number> }>(
          {
            type: "setup",
            clientUrl: clientHub.url,
            phoneUrl: phoneHub.url,
            clients: share(o.clients, i),
            accounts: people.slice(i * phones, (i + 1) * phones).map((p) => p.loginName),
            password: BENCH_PASSWORD,
            localAddress: `127.0.0.${10 + i}`,
          },
          300_000,
        ),
      ),
    );
    const waiting = setups.reduce((n, x) => n + x.waiting, 0);
    const problems = merge(setups.map((x) => x.failures));
    if (Object.keys(problems).length) console.log("  setup failures:", problems);
    console.log(`  ${waiting} clients waiting on ${clientHub.nodeId}; phones on ${phoneHub.nodeId}`);
    await batch(gens, WARM_UP, concurrency); // JIT, pools and connections warm before measuring
    return { hubs, gens, hints, stats, cleanups };
  } catch (err) {
    for (const c of cleanups) await c().catch(() => {});
    throw err;
  }
}

/** Who hears each "look now": one listener on every node's channel, counting by node. */
async function countHints(prefix: string, later: (c: () => Promise<unknown>) => void) {
  const counter = redis();
  later(() => counter.quit());
  const hints = new Map<string, number>();
  const channels = `${prefix}bus:qr.changed.`;
  counter.on("pmessage", (_pattern: string, channel: string) => {
    const node = channel.slice(channels.length);
    hints.set(node, (hints.get(node) ?? 0) + 1);
  });
  await counter.psubscribe(`${channels}*`);
  return hints;
}

function latencyFigures(parts: Part[], lowLoad: boolean): Record<string, Sample> {
  const notify = parts.flatMap((p) => p.notifyMs);
  const session = parts.flatMap((p) => p.sessionMs);
  const answered = parts.flatMap((p) => p.answeredMs);
  return {
    "confirm → phone's answer p50": {
      value: percentile(answered, 50),
      unit: "ms",
      note: `p99 ${percentile(answered, 99).toFixed(1)} ms; the confirming node's own part`,
    },
    "confirm → client push p50": { value: percentile(notify, 50), unit: "ms" },
    "confirm → client push p99": {
      value: percentile(notify, 99),
      unit: "ms",
      ...(lowLoad ? { target: "< 20" } : {}),
    },
    "confirm → client push max": { value: Math.max(...notify), unit: "ms" },
    "confirm → client session p50": { value: percentile(session, 50), unit: "ms" },
    "confirm → client session p99": { value: percentile(session, 99), unit: "ms" },
    "confirm → client session max": { value: Math.max(...session), unit: "ms" },
  };
}

type RedisCounters = Awaited<ReturnType<typeof redisServerCounters>>;

function redisFigures(before: RedisCounters, after: RedisCounters, done: number): Record<string, Sample> {
  const per = (x: number) => x / Math.max(1, done);
  const top = Object.keys(after.byCommand)
    .map((k) => [k, per((after.byCommand[k] ?? 0) - (before.byCommand[k] ?? 0))] as const)
    .filter(([, v]) => v >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ");
  return {
    "Redis CPU per confirm": { value: per(after.cpuMs - before.cpuMs), unit: "ms" },
    "Redis commands per confirm": {
      value: per(after.commands - before.commands),
      unit: "",
      note: `${top} (the whole server's counts, calls inside scripts included: other users of this Redis add)`,
    },
  };
}

/** Only the node holding a ticket's client may hear about it: no broadcast to every node. */
function hintFigures(hints: Map<string, number>, done: number): Record<string, Sample> {
  return {
    "hints to the node holding the client, per confirm": {
      value: (hints.get("bench-a") ?? 0) / Math.max(1, done),
      unit: "",
      note: "PSUBSCRIBE (SSUBSCRIBE on a cluster) on the per-node channels",
    },
    "hints to the other node": { value: hints.get("bench-b") ?? 0, unit: "", target: "0" },
  };
}

interface Part {
  notifyMs: number[];
  sessionMs: number[];
  answeredMs: number[];
  failures: Record<string, number>;
}

function batch(gens: Worker[], confirms: number, concurrency: number): Promise<Part[]> {
  return Promise.all(
    gens.map((g, i) =>
      g.ask<Part>(
        { type: "run", confirms: share(confirms, i), concurrency: Math.max(1, share(concurrency, i)) },
        600_000,
      ),
    ),
  );
}

function share(total: number, i: number): number {
  return Math.floor(total / GENERATORS) + (i < total % GENERATORS ? 1 : 0);
}

function merge(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of all) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
}
