import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Config } from "./config";

// WORKERS=auto|N: one node uses its machine. The first process (the primary) serves nothing itself:
// it forks N workers with node:cluster, which share the one listening port (the primary hands each
// new connection to the next worker), and each worker is a full hub on the shared bus and store with
// a NODE_ID of its own (`<node>-w<i>`), so a hint reaches the one worker holding the client.
// The embedded store (PGlite) and the in-process bus belong to one process: several workers need
// DATABASE_URL and REDIS_URL. An explicit WORKERS=N > 1 without them refuses to start; "auto" then
// means 1.

/** Set in each worker's environment: its number, 1…N. */
export const WORKER_ENV = "SHIMING_WORKER";

/** How many processes this node runs; throws (the hub does not start) on an impossible WORKERS. */
export function workerCount(config: Config): number {
  const shared = config.databaseUrl !== undefined && config.redisUrl !== undefined;
  if (config.workers === "auto") return shared ? availableParallelism() : 1;
  if (config.workers > 1 && !shared)
    throw new Error(
      `WORKERS=${config.workers} needs DATABASE_URL and REDIS_URL: the embedded store (PGlite) and the ` +
        "in-process bus belong to one process (use WORKERS=1, or PostgreSQL and Redis)",
    );
  return config.workers;
}

/** This process's worker number (1…N), or null when it is no worker. */
export function workerIndex(): number | null {
  const n = Number(process.env[WORKER_ENV]);
  return cluster.isWorker && Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * The start of `npm start`: returns at once in a worker or a one-process node (which then runs the
 * hub); in the primary of several workers it supervises them and never returns. An impossible
 * WORKERS stops the process here, as a bad setting does.
 */
export async function runWorkers(config: Config): Promise<void> {
  let count: number;
  try {
    count = workerCount(config);
  } catch (err) {
    console.error(`hub not started: ${(err as Error).message}`);
    process.exit(1);
  }
  if (cluster.isPrimary && count > 1) await superviseWorkers(config, count);
}

/**
 * Runs the primary: forks the workers, forks a replacement for one that dies, and on SIGINT/SIGTERM
 * asks each to close (each runs its own graceful close) and exits once all have. Never resolves.
 */
export function superviseWorkers(config: Config, count = workerCount(config)): Promise<never> {
  const byIndex = new Map<number, Worker>();
  let closing = false;
  const fork = (i: number) => {
    const w = cluster.fork({ [WORKER_ENV]: String(i), NODE_ID: `${config.nodeId}-w${i}` });
    byIndex.set(i, w);
    w.on("exit", (code, signal) => {
      if (byIndex.get(i) === w) byIndex.delete(i);
      if (closing) {
        if (byIndex.size === 0) process.exit(0);
        return;
      }
      console.error(`worker ${i} exited (${signal ?? code}); starting another`);
      setTimeout(() => fork(i), 1000).unref();
    });
  };
  for (let i = 1; i <= count; i++) fork(i);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      if (byIndex.size === 0) process.exit(0);
      for (const w of byIndex.values()) w.process.kill("SIGTERM");
    });
  }
  return new Promise<never>(() => {});
}
