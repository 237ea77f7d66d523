import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";

// The real services the integration suites talk to. `.ci/run` provides them on a bare machine; here
// they run already. A missing service fails the suite: nothing is skipped.
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * A key prefix no other run uses (`shiming-<tag>:…:` on the Redis at `redisUrl`), and a cleanup that deletes
 * every key under it. The bench takes its own with tag "bench".
 */
export function freshRedisPrefix(
  tag = "test",
  redisUrl = TEST_REDIS_URL,
): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `shiming-${tag}:${randomBytes(6).toString("hex")}:`;
  return {
    prefix,
    async cleanup() {
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
      await redis.quit();
    },
  };
}

/** A PostgreSQL database of this run's own (`shiming_<tag>_…`, made through `adminUrl`), dropped afterwards. */
export async function freshPgDatabase(
  tag = "test",
  adminUrl = TEST_DATABASE_URL,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `shiming_${tag}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
