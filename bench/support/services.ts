import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";

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

export function freshRedisPrefix(): RedisSpace {
  const prefix = `shiming-bench:${randomBytes(6).toString("hex")}:`;
  return {
    prefix,
    async cleanup() {
      const r = redis();
      let cursor = "0";
      do {
        const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await r.del(...keys);
      } while (cursor !== "0");
      await r.quit();
    },
  };
}

export interface Database {
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<Database> {
  const name = `shiming_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Runs `fn` with cleanups that run whatever happens, last registered first. */
export async function withCleanup<T>(fn: (later: (c: () => Promise<unknown>) => void) => Promise<T>) {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    return await fn((c) => cleanups.unshift(c));
  } finally {
    for (const c of cleanups) await c().catch((err) => console.error("  cleanup failed:", err));
  }
}
