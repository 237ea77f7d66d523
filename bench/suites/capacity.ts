import { readdirSync } from "node:fs";
import { HubLimits } from "../../server/limits";
import type { Suite } from "../lib";
import { liftedLimits, startHub } from "../support/hub";
import { benchCluster, freshDatabase, freshRedisPrefix, withCleanup } from "../support/services";
import { spawnWorker } from "../support/workers";
import { mergeCounts, openShare } from "./idle-sessions";

// How many people can wait at a QR on this one machine, past one process's file-descriptor limit:
// one node with WORKERS=N (node:cluster, one port) on a Redis Cluster and PostgreSQL, N × (fd limit −
// room) client sockets from load-generator processes, each saying hello and holding a live ticket.
// Heap is summed over the workers after a full GC in each (bench/support/hub-probe.ts); Redis bytes
// per waiting ticket are MEMORY USAGE of a sample of the ticket keys (the shared box's other users do
// not move that figure, as they move used_memory).

const PER_GENERATOR = 5000;
const HEADROOM = 64;
const SAMPLE = 500;
const ROTATE_S = HubLimits.shape.qrRotateMs.parse(undefined) / 1000;

export function capacitySuite(o: { sessions: number; workers: number }): Suite {
  return {
    name: "waiting sessions per machine",
    runs: 1,
    run: () =>
      withCleanup(async (later) => {
        const cluster = await benchCluster();
        later(() => cluster.release());
        const space = freshRedisPrefix();
        const db = await freshDatabase();
        later(() => db.drop());
        const hub = await startHub({
          nodeId: "bench-box",
          env: {
            WORKERS: String(o.workers),
            REDIS_URL: cluster.url,
            REDIS_PREFIX: space.prefix,
            DATABASE_URL: db.url,
            QR_TTL_S: "900",
            HUB_LIMITS: JSON.stringify(liftedLimits({ rotation: "shipped" })),
          },
        });
        later(() => hub.stop());
        await allWorkersServe(hub.url, o.workers);

        const perWorker = hub.openFiles - readdirSync(`/proc/${hub.pid}/fd`).length - HEADROOM;
        const n = Math.min(o.sessions, perWorker * o.workers);
        if (n < o.sessions)
          console.log(
            `  ! ${o.workers} workers × ${perWorker} sockets: holding ${n} instead of ${o.sessions}`,
          );

        const r = cluster.client();
        later(async () => r.disconnect());
        const before = await hub.memory();
        const gens = Array.from({ length: Math.max(2, Math.ceil(n / PER_GENERATOR)) }, (_, i) =>
          spawnWorker("idle-clients.ts", `cap-${i}`),
        );
        for (const g of gens) later(() => g.stop());
        const t0 = performance.now();
        const opened = await openShare(gens, hub.url, n, 1_800_000);
        const openS = (performance.now() - t0) / 1000;
        const held = opened.reduce((s, x) => s + x.held, 0);
        const failures = mergeCounts(opened.map((x) => x.failures));
        await new Promise((res) => setTimeout(res, 1000)); // the last replies and events settle
        const after = await hub.memory();
        const stillOpen = (
          await Promise.all(gens.map((g) => g.ask<{ open: number }>({ type: "count" })))
        ).reduce((s, x) => s + x.open, 0);
        const { tickets, bytes, encoding } = await ticketBytes(r, space.prefix);
        const failed = Object.entries(failures)
          .map(([k, v]) => `${v}× ${k}`)
          .join("; ");
        const perSession = (b: number) => b / Math.max(1, stillOpen) / 1024;
        const workers = (after as { workers?: { heapUsed: number }[] }).workers ?? [];
        return {
          "sessions held (hello + live ticket)": {
            value: stillOpen,
            unit: "",
            target: ">= 50000",
            note: `${o.workers} workers on one port, fd limit ${hub.openFiles} each; ${gens.length} generators; opened in ${openS.toFixed(0)} s; QR rotation as shipped (every ${ROTATE_S} s)${failed ? `; failed: ${failed}` : ""}`,
          },
          "hub heap per session": {
            value: perSession(after.heapUsed - before.heapUsed),
            unit: "KiB",
            target: "<= 4",
            note: `heapUsed over all processes ${mib(before.heapUsed)} → ${mib(after.heapUsed)} MiB after GC; per worker ${workers.map((w) => mib(w.heapUsed)).join(" / ")} MiB`,
          },
          "hub RSS per session": {
            value: perSession(after.rss - before.rss),
            unit: "KiB",
            note: `RSS of all processes ${mib(before.rss)} → ${mib(after.rss)} MiB`,
          },
          "Redis bytes per waiting ticket": {
            value: bytes,
            unit: "B",
            target: "<= 400",
            note: `MEMORY USAGE of ${Math.min(SAMPLE, tickets)} of ${tickets} ticket keys (${encoding}); on a Redis Cluster`,
          },
          "sessions opened per second": { value: held / openS, unit: "/s" },
        };
      }),
  };
}

/** Until new connections have reached every worker ready (each answers /healthz with its NODE_ID). */
async function allWorkersServe(url: string, workers: number): Promise<void> {
  const seen = new Set<string>();
  for (let i = 0; i < 400 && seen.size < workers; i++) {
    try {
      const res = await fetch(`${url}/healthz`, { headers: { connection: "close" } });
      if (res.ok) seen.add(((await res.json()) as { node: string }).node);
    } catch {
      // not yet
    }
    if (seen.size < workers) await new Promise((res) => setTimeout(res, 100));
  }
  if (seen.size < workers) throw new Error(`only ${seen.size} of ${workers} workers answered`);
}

async function ticketBytes(
  r: ReturnType<Awaited<ReturnType<typeof benchCluster>>["client"]>,
  prefix: string,
) {
  const keys: string[] = [];
  let tickets = 0;
  for (const m of r.nodes("master")) {
    let cursor = "0";
    do {
      const [next, found] = await m.scan(cursor, "MATCH", `${prefix}qr:t:*`, "COUNT", 1000);
      cursor = next;
      tickets += found.length;
      for (const k of found) if (keys.length < SAMPLE) keys.push(k);
    } while (cursor !== "0");
  }
  let total = 0;
  const encodings = new Map<string, number>();
  for (const k of keys) {
    total += Number(await r.call("MEMORY", "USAGE", k, "SAMPLES", "0"));
    const e = String(await r.object("ENCODING", k));
    encodings.set(e, (encodings.get(e) ?? 0) + 1);
  }
  const encoding = [...encodings].map(([e, c]) => `${c} ${e}`).join(", ");
  return { tickets, bytes: total / Math.max(1, keys.length), encoding };
}

const mib = (b: number) => (b / 2 ** 20).toFixed(0);
