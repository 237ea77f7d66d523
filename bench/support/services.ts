import { Redis } from "ioredis";
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
