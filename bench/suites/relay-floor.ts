import { percentile, type Sample, type Suite } from "../lib";
import { type BenchHub, profiled, startHub } from "../support/hub";
import { addPeople, BENCH_PASSWORD } from "../support/people";
import { type PrivateRedis, redisServerCounters, startPrivateRedis } from "../support/private-redis";
import { writeSyscalls } from "../support/proc";
import { freshDatabase } from "../support/services";
import { spawnWorker, type Worker } from "../support/workers";

// Issue 13: shiming's QR relay against the floor, in the same run, driven by the same load generator
// (bench/load/confirms.ts): a bare `ws` + `ioredis` relay (bench/support/bare-relay.ts, its own two
// processes, one channel per ticket, one PUBLISH per confirm, no checks). Both on a redis-server of
// this suite's own, so its INFO counts only them. Each run measures both systems, in alternating order:
// - the relay alone: tickets issued and scanned beforehand, then confirm (node B) → push (node A),
//   at the high and at the low concurrency;
// - whole QR logins: ticket → scan → confirm → push → redeem → session, with what each costs counted
//   (Redis commands the hubs sent, the calls Redis ran, SQL statements, write syscalls).
// shiming's figures are given as ratios to the floor's of the same run.

export interface RelayFloorOptions {
  clients: number;
  confirms: number;
  concurrency: number;
  lowConcurrency: number;
  lowConfirms: number;
  /** `--hub-profile`: shiming's hubs' CPU profiles of the relay and of whole logins. */
  profile?: boolean;
}

const GENERATORS = 2;
const WARM_UP = 400;

interface Part {
  notifyMs: number[];
  sessionMs: number[];
  answeredMs: number[];
  failures: Record<string, number>;
}

interface Counters {
  redis: Record<string, number>;
  sql: Record<string, number>;
}

interface System {
  name: "shiming" | "bare";
  hubs: BenchHub[];
  gens: Worker[];
}

interface Cost {
  done: number;
  wallS: number;
  cpuMs: number[];
  syscw: number;
  redisSent: Record<string, number>;
  sql: Record<string, number>;
  redisCalls: Record<string, number>;
  redisTotal: number;
  redisCpuMs: number;
  notifyMs: number[];
  failures: Record<string, number>;
}

export function relayFloorSuite(o: RelayFloorOptions): Suite {
  let setup: { systems: System[]; redis: PrivateRedis; cleanups: (() => Promise<unknown>)[] } | null = null;
  return {
    name: "relay floor (bare ws + ioredis) vs shiming, two nodes",
    runs: 3,
    async run(i, of) {
      setup ??= await start(o);
      const s = setup;
      const order = i % 2 === 0 ? s.systems : [...s.systems].reverse();
      const out = { high: {}, low: {}, login: {} } as Record<"high" | "low" | "login", Record<string, Cost>>;
      for (const sys of order) {
        const r = s.redis;
        const profile = Boolean(o.profile) && sys.name === "shiming";
        out.high[sys.name] = await profiled(sys.hubs, "relay", profile, () =>
          relay(sys, r, Math.ceil(o.confirms / of), o.concurrency, o.clients),
        );
        out.low[sys.name] = await relay(sys, r, Math.ceil(o.lowConfirms / of), o.lowConcurrency, o.clients);
        out.login[sys.name] = await profiled(sys.hubs, "qr-logins", profile, () =>
          logins(sys, r, Math.ceil(o.confirms / of), o.concurrency),
        );
      }
      return figures(out as Record<"high" | "low" | "login", Record<"shiming" | "bare", Cost>>, o);
    },
    async close() {
      const s = setup;
      setup = null;
      for (const c of s?.cleanups ?? []) await c().catch((err) => console.error("  cleanup failed:", err));
    },
  };
}

async function start(o: RelayFloorOptions) {
  const cleanups: (() => Promise<unknown>)[] = [];
  const later = (c: () => Promise<unknown>) => cleanups.unshift(c);
  try {
    const redis = await startPrivateRedis();
    later(() => redis.stop());
    const db = await freshDatabase();
    later(() => db.drop());
    const phones = Math.ceil(o.concurrency / GENERATORS);
    const people = await addPeople(db.url, phones * GENERATORS);
    const systems: System[] = [];
    for (const name of ["shiming", "bare"] as const) {
      const hubs: BenchHub[] = [];
      for (const node of ["a", "b"]) {
        const hub =
          name === "shiming"
            ? await startHub({
                nodeId: `floor-${node}`,
                env: { DATABASE_URL: db.url, REDIS_URL: redis.url, REDIS_PREFIX: "floor:" },
              })
            : await startHub({
                nodeId: `bare-${node}`,
                entry: "bench/support/bare-relay.ts",
                env: { REDIS_URL: redis.url },
              });
        later(() => hub.stop());
        hubs.push(hub);
      }
      const gens = Array.from({ length: GENERATORS }, (_, i) => spawnWorker("confirms.ts", `${name}-${i}`));
      for (const g of gens) later(() => g.stop());
      await Promise.all(
        gens.map((g, i) =>
          g.ask(
            {
              type: "setup",
              clientUrl: hubs[0]?.url,
              phoneUrl: hubs[1]?.url,
              clients: share(o.clients, i),
              accounts: people.slice(i * phones, (i + 1) * phones).map((p) => p.loginName),
              password: BENCH_PASSWORD,
              localAddress: `127.0.0.${20 + i + (name === "bare" ? 2 : 0)}`,
            },
            300_000,
          ),
        ),
      );
      const sys = { name, hubs, gens };
      // JIT, pools and connections warm before measuring.
      await relay(sys, redis, WARM_UP, o.concurrency, o.clients);
      await logins(sys, redis, WARM_UP, o.concurrency);
      systems.push(sys);
    }
    return { systems, redis, cleanups };
  } catch (err) {
    for (const c of cleanups) await c().catch(() => {});
    throw err;
  }
}

/** What the hubs and Redis have spent so far. */
async function snapshot(sys: System, redis: PrivateRedis) {
  const counters = await Promise.all(sys.hubs.map((h) => h.ask<Counters>("counters")));
  return {
    t: performance.now(),
    cpu: sys.hubs.map((h) => h.cpuMs()),
    syscw: sys.hubs.reduce((n, h) => n + writeSyscalls(h.pid), 0),
    counters,
    server: await redisServerCounters(redis.stats),
  };
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

function cost(a: Snapshot, b: Snapshot, parts: Part[], acc?: Cost): Cost {
  const sum = (pick: (c: Counters) => Record<string, number>) => {
    const m: Record<string, number> = { ...(acc ? pick({ redis: acc.redisSent, sql: acc.sql }) : {}) };
    b.counters.forEach((c, i) => {
      const before = a.counters[i] ? pick(a.counters[i]) : {};
      for (const [k, v] of Object.entries(pick(c))) m[k] = (m[k] ?? 0) + v - (before[k] ?? 0);
    });
    return m;
  };
  const calls: Record<string, number> = { ...(acc?.redisCalls ?? {}) };
  for (const [k, v] of Object.entries(b.server.byCommand))
    calls[k] = (calls[k] ?? 0) + v - (a.server.byCommand[k] ?? 0);
  calls.info = (calls.info ?? 0) - 1; // the look itself
  return {
    done: (acc?.done ?? 0) + parts.reduce((n, p) => n + p.notifyMs.length, 0),
    wallS: (acc?.wallS ?? 0) + (b.t - a.t) / 1000,
    cpuMs: b.cpu.map((c, i) => (acc?.cpuMs[i] ?? 0) + c - (a.cpu[i] ?? 0)),
    syscw: (acc?.syscw ?? 0) + b.syscw - a.syscw,
    redisSent: sum((c) => c.redis),
    sql: sum((c) => c.sql),
    redisCalls: calls,
    redisTotal: (acc?.redisTotal ?? 0) + b.server.commands - a.server.commands - 1,
    redisCpuMs: (acc?.redisCpuMs ?? 0) + b.server.cpuMs - a.server.cpuMs,
    notifyMs: [...(acc?.notifyMs ?? []), ...parts.flatMap((p) => p.notifyMs)],
    failures: merge([acc?.failures ?? {}, ...parts.map((p) => p.failures)]),
  };
}

/** The relay alone, in rounds of at most `clients` scanned tickets: only the confirm → push is measured. */
async function relay(sys: System, redis: PrivateRedis, total: number, concurrency: number, clients: number) {
  let acc: Cost | undefined;
  for (let left = total; left > 0; ) {
    const round = Math.min(left, clients);
    const prepared = await Promise.all(
      sys.gens.map((g, i) =>
        g.ask<{ ready: number; failures: Record<string, number> }>(
          { type: "prepare", count: share(round, i) },
          300_000,
        ),
      ),
    );
    const ready = prepared.reduce((n, p) => n + p.ready, 0);
    if (ready === 0) throw new Error(`${sys.name}: no scanned tickets (${JSON.stringify(prepared)})`);
    const a = await snapshot(sys, redis);
    const parts = await Promise.all(
      sys.gens.map((g, i) =>
        g.ask<Part>({ type: "relay", concurrency: Math.max(1, share(concurrency, i)) }, 600_000),
      ),
    );
    const b = await snapshot(sys, redis);
    acc = cost(a, b, parts, acc);
    left -= ready;
  }
  return acc as Cost;
}

async function logins(sys: System, redis: PrivateRedis, total: number, concurrency: number) {
  // Redeem what a relay batch left confirmed, so every client waits at a fresh ticket.
  await Promise.all(sys.gens.map((g) => g.ask({ type: "prepare", count: 0 }, 300_000)));
  const a = await snapshot(sys, redis);
  const parts = await Promise.all(
    sys.gens.map((g, i) =>
      g.ask<Part>(
        { type: "run", confirms: share(total, i), concurrency: Math.max(1, share(concurrency, i)) },
        600_000,
      ),
    ),
  );
  const b = await snapshot(sys, redis);
  return cost(a, b, parts);
}

function figures(
  m: Record<"high" | "low" | "login", Record<"shiming" | "bare", Cost>>,
  o: RelayFloorOptions,
): Record<string, Sample> {
  const rate = (c: Cost) => c.done / Math.max(1e-9, c.wallS);
  const cpu = (c: Cost) => c.cpuMs.reduce((a, b) => a + b, 0) / Math.max(1, c.done);
  const perNode = (c: Cost) => c.cpuMs.map((x) => ((x / Math.max(1, c.done)) * 1000).toFixed(0)).join(" + ");
  const p99 = (c: Cost) => percentile(c.notifyMs, 99);
  const per = (c: Cost, x: number) => x / Math.max(1, c.done);
  const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const top = (c: Cost, r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => [k, per(c, v)] as const)
      .filter(([, v]) => v >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(", ");
  const fails = (c: Cost) =>
    Object.entries(c.failures)
      .map(([k, v]) => `${v}× ${k}`)
      .join("; ");
  const failNote = (c: Cost) => (fails(c) ? `; failed: ${fails(c)}` : "");
  const { high, low, login } = m;
  const hi = `concurrency ${o.concurrency}`;
  const lo = `concurrency ${o.lowConcurrency}`;
  const out: Record<string, Sample> = {};
  for (const name of ["bare", "shiming"] as const) {
    const h = high[name];
    const l = low[name];
    out[`${name}: relay confirms per second, ${hi}`] = {
      value: rate(h),
      unit: "/s",
      note: `${h.done} confirms in ${h.wallS.toFixed(1)} s${failNote(h)}`,
    };
    out[`${name}: hub CPU per relay confirm`] = {
      value: cpu(h) * 1000,
      unit: "µs",
      note: `nodes A + B ${perNode(h)} µs; Redis ${((h.redisCpuMs / Math.max(1, h.done)) * 1000).toFixed(0)} µs`,
    };
    out[`${name}: Redis commands per relay confirm (hubs sent)`] = {
      value: per(h, total(h.redisSent)),
      unit: "",
      note: top(h, h.redisSent),
    };
    out[`${name}: confirm → push p99, ${lo}`] = {
      value: p99(l),
      unit: "ms",
      note: `p50 ${percentile(l.notifyMs, 50).toFixed(2)} ms over ${l.done}${failNote(l)}`,
    };
  }
  const s = login.shiming;
  const b = login.bare;
  out["shiming ÷ bare: relay confirms per second"] = {
    value: rate(high.shiming) / rate(high.bare),
    unit: "×",
    target: ">= 0.70",
  };
  out["shiming ÷ bare: hub CPU per relay confirm"] = {
    value: cpu(high.shiming) / cpu(high.bare),
    unit: "×",
    target: "<= 2",
  };
  out["shiming ÷ bare: confirm → push p99"] = {
    value: p99(low.shiming) / p99(low.bare),
    unit: "×",
    target: "<= 1.5",
    note: lo,
  };
  out[`shiming: whole QR logins per second, ${hi}`] = {
    value: rate(s),
    unit: "/s",
    target: ">= 1500",
    note: `${s.done} logins in ${s.wallS.toFixed(1)} s; bare relay's ${rate(b).toFixed(0)}/s${failNote(s)}`,
  };
  out["shiming: hub CPU per QR login"] = {
    value: cpu(s) * 1000,
    unit: "µs",
    target: "<= 700",
    note: `nodes A + B ${perNode(s)} µs; bare relay's ${(cpu(b) * 1000).toFixed(0)} µs`,
  };
  out["shiming: Redis commands per QR login (hubs sent)"] = {
    value: per(s, total(s.redisSent)),
    unit: "",
    target: "<= 5",
    note: `${top(s, s.redisSent)}; bare relay's ${per(b, total(b.redisSent)).toFixed(1)}`,
  };
  out["shiming: Redis calls per QR login (run by Redis, scripts' calls included)"] = {
    value: per(s, s.redisTotal),
    unit: "",
    note: top(s, s.redisCalls),
  };
  out["shiming: SQL statements per QR login"] = {
    value: per(s, total(s.sql)),
    unit: "",
    target: "1",
    note: top(s, s.sql),
  };
  out["shiming: write syscalls per QR login (both hubs)"] = {
    value: per(s, s.syscw),
    unit: "",
    note: `bare relay's ${per(b, b.syscw).toFixed(1)}`,
  };
  return out;
}

function share(total: number, i: number): number {
  return Math.floor(total / GENERATORS) + (i < total % GENERATORS ? 1 : 0);
}

function merge(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of all) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
}
