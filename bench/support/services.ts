import { Cluster, Redis } from "ioredis";
import { OwnCluster } from "../../tests/support/redis-cluster";
import { freshPgDatabase, freshRedisPrefix as freshTestRedisPrefix } from "../../tests/support/services";

// The real services a bench run uses, each run with its own Redis key prefix and its own database,
// both removed afterwards (as the integration tests do).

export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function redis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** Keys under `prefix` matching `pattern` (SCAN, never KEYS). */
export async function countKeys(r: Redis, pattern: string): Promise<number> {
  let n = 0;
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== "0");
  return n;
}

export interface RedisSpace {
  prefix: string;
  cleanup(): Promise<void>;
}

/** A key prefix of this bench run's own on REDIS_URL, removed by its cleanup. */
export const freshRedisPrefix = (): RedisSpace => freshTestRedisPrefix("bench", REDIS_URL);

export interface Database {
  url: string;
  drop(): Promise<void>;
}

/** A PostgreSQL database of this bench run's own, dropped afterwards. */
export const freshDatabase = (): Promise<Database> => freshPgDatabase("bench", DATABASE_URL);

/** Runs `fn` with cleanups that run whatever happens, last registered first. */
export async function withCleanup<T>(fn: (later: (c: () => Promise<unknown>) => void) => Promise<T>) {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    return await fn((c) => cleanups.unshift(c));
  } finally {
    for (const c of cleanups) await c().catch((err) => console.error("  cleanup failed:", err));
  }
}

export interface BenchCluster {
  /** REDIS_URL for a hub on it (redis+cluster://…). */
  url: string;
  nodes: string[];
  /** A cluster-aware client (keys are spread over the masters). */
  client(): Cluster;
  /** Counts "look now" hints per node heard on the sharded per-node channels. */
  countHints(prefix: string, later: (c: () => Promise<unknown>) => void): Promise<Map<string, number>>;
  /** Done with it: stops the cluster if the bench started it and nobody else uses it. */
  release(): Promise<void>;
}

let ownCluster: { c: OwnCluster; users: number } | null = null;

/** A Redis Cluster for the bench: TEST_REDIS_CLUSTER_NODES, or one of its own on free loopback ports. */
export async function benchCluster(): Promise<BenchCluster> {
  const fromEnv = process.env.TEST_REDIS_CLUSTER_NODES;
  let nodes: string[];
  if (fromEnv) nodes = fromEnv.split(",");
  else {
    ownCluster ??= { c: await OwnCluster.start(), users: 0 };
    ownCluster.users += 1;
    nodes = ownCluster.c.nodes;
  }
  const seeds = nodes.map((hp) => ({
    host: hp.slice(0, hp.lastIndexOf(":")),
    port: Number(hp.slice(hp.lastIndexOf(":") + 1)),
  }));
  return {
    url: `redis+cluster://${nodes.join(",")}`,
    nodes,
    client: () => new Cluster(seeds),
    async countHints(prefix, later) {
      const c = new Cluster(seeds, { shardedSubscribers: true });
      later(async () => c.disconnect());
      const hints = new Map<string, number>();
      const channels = `${prefix}bus:qr.changed.`;
      c.on("smessage", (channel: string) => {
        const node = channel.slice(channels.length);
        hints.set(node, (hints.get(node) ?? 0) + 1);
      });
      for (const n of ["bench-a", "bench-b"]) await c.ssubscribe(`${channels}${n}`);
      return hints;
    },
    async release() {
      if (fromEnv || !ownCluster) return;
      ownCluster.users -= 1;
      if (ownCluster.users > 0) return;
      const { c } = ownCluster;
      ownCluster = null;
      await c.stop();
    },
  };
}
