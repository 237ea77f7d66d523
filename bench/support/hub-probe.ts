import cluster, { type Worker } from "node:cluster";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { writeHeapSnapshot } from "node:v8";
import { Redis } from "ioredis";
import pg from "pg";

// Preloaded into a bench hub (`node --import tsx --import ./bench/support/hub-probe.ts server/main.ts`):
// answers the bench over the IPC channel. The hub's own code is untouched.
// - `memory`: process.memoryUsage() after a full GC, so the figure is what the hub holds, not
//   garbage waiting to be collected; with WORKERS > 1 (node:cluster) the supervisor asks each worker
//   (the probe is preloaded there too) and answers the sums, with `processes` and each worker's part;
// - `profile-start` / `profile-stop`: a V8 CPU profile of exactly the measured stretch (`--hub-profile`);
// - `heap-snapshot`: a V8 heap snapshot into `file` (`bench/support/heap-diff.ts` compares two);
// - `counters`: Redis commands and SQL statements this process has sent so far, counted where they
//   leave it (ioredis' sendCommand, pg's Client#query), by name. No MONITOR, nothing on the server.

type Ask = { id: number | string } & (
  | { type: "memory" }
  | { type: "profile-start" }
  | { type: "profile-stop"; file: string }
  | { type: "counters" }
  | { type: "heap-snapshot"; file: string }
);

const redisSent: Record<string, number> = {};
const sqlSent: Record<string, number> = {};
const count = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};
{
  const proto = Redis.prototype as unknown as {
    sendCommand(cmd: { name: string }, ...rest: unknown[]): unknown;
  };
  const send = proto.sendCommand;
  proto.sendCommand = function (this: unknown, cmd: { name: string }, ...rest: unknown[]) {
    count(redisSent, cmd.name);
    return send.call(this, cmd, ...rest);
  };
  const client = pg.Client.prototype as unknown as { query(...args: unknown[]): unknown };
  const query = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string } | null)?.text ?? "");
    count(sqlSent, /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "?");
    return query.apply(this, args);
  };
}

let inspector: Session | null = null;
type Memory = { gc: boolean } & NodeJS.MemoryUsage;

let relayed = 0;
function askWorker(w: Worker, m: Ask): Promise<Memory> {
  const id = `relay-${++relayed}`;
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error("a worker's probe did not answer")), 60_000);
    const on = (r: Memory & { id?: string }) => {
      if (r?.id !== id) return;
      clearTimeout(timer);
      w.off("message", on);
      res(r);
    };
    w.on("message", on);
    w.send({ ...m, id });
  });
}

async function answer(m: Ask): Promise<object> {
  switch (m.type) {
    case "memory": {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const own = { gc: Boolean(gc), ...process.memoryUsage() };
      const workers = cluster.isPrimary ? Object.values(cluster.workers ?? {}) : [];
      if (workers.length === 0) return own;
      const parts = await Promise.all(workers.map((w) => askWorker(w as Worker, m)));
      const sum = (k: "rss" | "heapUsed" | "heapTotal" | "external" | "arrayBuffers") =>
        own[k] + parts.reduce((n, p) => n + p[k], 0);
      return {
        gc: own.gc && parts.every((p) => p.gc),
        rss: sum("rss"),
        heapUsed: sum("heapUsed"),
        heapTotal: sum("heapTotal"),
        external: sum("external"),
        arrayBuffers: sum("arrayBuffers"),
        processes: workers.length + 1,
        workers: parts.map((p) => ({ rss: p.rss, heapUsed: p.heapUsed })),
      };
    }
    case "counters":
      return { redis: { ...redisSent }, sql: { ...sqlSent } };
    case "heap-snapshot":
      return { file: writeHeapSnapshot(m.file) };
    case "profile-start":
      inspector = new Session();
      inspector.connect();
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.setSamplingInterval", { interval: 200 });
      await inspector.post("Profiler.start");
      return {};
    case "profile-stop": {
      if (!inspector) throw new Error("no profile running");
      const { profile } = await inspector.post("Profiler.stop");
      inspector.disconnect();
      inspector = null;
      writeFileSync(m.file, JSON.stringify(profile));
      return { file: m.file };
    }
  }
}

if (process.send) {
  process.channel?.unref(); // the probe must never keep a hub alive
  // The bench is gone (crashed, interrupted): stop the way the hub stops on SIGTERM, no orphans.
  process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
  process.on("message", (m: Ask) => {
    answer(m).then(
      (r) => process.send?.({ ...r, type: m.type, id: m.id }),
      (err: Error) => process.send?.({ type: "failed", id: m.id, error: err.message }),
    );
  });
}
