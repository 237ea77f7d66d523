import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Suite } from "../lib";
import { liftedLimits, profiled, startHub } from "../support/hub";
import {
  countKeys,
  freshDatabase,
  freshRedisPrefix,
  REDIS_URL,
  redis,
  withCleanup,
} from "../support/services";
import { spawnWorker, type Worker } from "../support/workers";

// Issue 9 item 1: how many people can wait at a QR on one hub node, and what each costs it.
// One node as it runs at scale (tickets in Redis, people in PostgreSQL); N client sockets from
// several load-generator processes, each socket saying hello and holding a live ticket. Memory is
// read inside the hub after a full GC, before and after, so RSS/N is what one waiting client costs.

const PER_GENERATOR = 5000;
/** fds the hub keeps beside client sockets (stdio, epoll, Redis, PostgreSQL, the listener …) + room. */
const HEADROOM = 64;

/** Where `--heap-snapshots` leaves the hub's heap before and after the sessions opened. */
export const HEAP_DIR = resolve(import.meta.dirname, "../results/heap");

export function idleSessionsSuite(o: { sessions: number; profile: boolean; heapSnapshots?: boolean }): Suite {
  return {
    name: "waiting sessions per node",
    runs: 3,
    run: () =>
      withCleanup(async (later) => {
        const space = freshRedisPrefix();
        later(() => space.cleanup());
        const db = await freshDatabase();
        later(() => db.drop());
        const hub = await startHub({
          nodeId: "bench-idle",
          // Tickets outlive the run (the default 120 s would start expiring them mid-count).
          env: {
            REDIS_URL,
            REDIS_PREFIX: space.prefix,
            DATABASE_URL: db.url,
            QR_TTL_S: "900",
            HUB_LIMITS: JSON.stringify(liftedLimits({ rotation: "shipped" })),
          },
        });
        later(() => hub.stop());

        const fdsAtRest = readdirSync(`/proc/${hub.pid}/fd`).length;
        const room = hub.openFiles - fdsAtRest - HEADROOM;
        const n = Math.min(o.sessions, room);
        if (n < o.sessions)
          console.log(
            `  ! the hub may open ${hub.openFiles} files here (ulimit -n; no CAP_SYS_RESOURCE to raise it): ` +
              `holding ${n} sessions instead of ${o.sessions}`,
          );

        const r = redis();
        later(() => r.quit());
        const redisBefore = await usedMemory(r);
        const before = await hub.memory();
        if (o.heapSnapshots) await hub.heapSnapshot(resolve(HEAP_DIR, "before.heapsnapshot"));
        const gens = Array.from({ length: Math.max(2, Math.ceil(n / PER_GENERATOR)) }, (_, i) =>
          spawnWorker("idle-clients.ts", `idle-${i}`),
        );
        for (const g of gens) later(() => g.stop());

        const t0 = performance.now();
        const cpu0 = hub.cpuMs();
        const opened = await profiled([hub], "open sessions", o.profile, () => openShare(gens, hub.url, n));
        const openS = (performance.now() - t0) / 1000;
        const openCpu = hub.cpuMs() - cpu0;
        const held = opened.reduce((s, x) => s + x.held, 0);
        const failures = mergeCounts(opened.map((x) => x.failures));

        await new Promise((res) => setTimeout(res, 1000)); // let the last replies and events settle
        const after = await hub.memory();
        if (o.heapSnapshots) await hub.heapSnapshot(resolve(HEAP_DIR, "after.heapsnapshot"));
        const stillOpen = (
          await Promise.all(gens.map((g) => g.ask<{ open: number }>({ type: "count" })))
        ).reduce((s, x) => s + x.open, 0);
        const tickets = await countKeys(r, `${space.prefix}qr:t:*`);
        const redisAfter = await usedMemory(r);
        const failed = Object.entries(failures)
          .map(([k, v]) => `${v}× ${k}`)
          .join("; ");

        // A fresh process's allocator hands start-up garbage out again, so this slightly understates
        // RSS; the heap figure (objects the hub keeps per socket) is the steadier of the two.
        const perSession = (bytes: number) => bytes / Math.max(1, stillOpen) / 1024;
        return {
          "sessions held (hello + live ticket)": {
            value: stillOpen,
            unit: "",
            target: ">= 50000",
            note: `asked ${o.sessions}; hub fd limit ${hub.openFiles}${failed ? `; failed: ${failed}` : ""}`,
          },
          "hub RSS per session": {
            value: perSession(after.rss - before.rss),
            unit: "KiB",
            target: "<= 12",
            note: `RSS after GC ${mib(before.rss)} → ${mib(after.rss)} MiB`,
          },
          "hub heap per session": {
            value: perSession(after.heapUsed - before.heapUsed),
            unit: "KiB",
            note: `heapUsed ${mib(before.heapUsed)} → ${mib(after.heapUsed)} MiB after GC`,
          },
          "tickets in the store (Redis)": { value: tickets, unit: "", note: `held ${held}` },
          "Redis memory per ticket": {
            value: (redisAfter - redisBefore) / Math.max(1, tickets) / 1024,
            unit: "KiB",
            note: "used_memory delta; includes the capped event stream",
          },
          "sessions opened per second": {
            value: held / openS,
            unit: "/s",
            note: `socket + hello + qr.issue, ${gens.length} generators`,
          },
          "hub CPU per session opened": { value: openCpu / Math.max(1, held), unit: "ms" },
        };
      }),
  };
}

/** Spreads `count` new sockets over the generators, each from its own loopback source address
 *  (ports are per source address: ~28k each). */
export function openShare(gens: Worker[], url: string, count: number, timeoutMs = 300_000) {
  return Promise.all(
    gens.map((g, i) =>
      g.ask<{ held: number; failures: Record<string, number> }>(
        {
          type: "open",
          url,
          count: Math.floor(count / gens.length) + (i < count % gens.length ? 1 : 0),
          localAddress: `127.0.0.${2 + i}`,
          concurrency: 64,
        },
        timeoutMs,
      ),
    ),
  );
}

async function usedMemory(r: ReturnType<typeof redis>): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await r.info("memory"))?.[1] ?? Number.NaN);
}

export function mergeCounts(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of all) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
}

const mib = (b: number) => (b / 2 ** 20).toFixed(0);
