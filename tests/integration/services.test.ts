import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { freshPgDatabase, freshRedisPrefix, TEST_REDIS_URL } from "../support/services";

describe("test services", () => {
  it("reaches a real Redis and cleans up its own keys", async () => {
    const { prefix, cleanup } = freshRedisPrefix();
    const redis = new Redis(TEST_REDIS_URL);
    await redis.set(`${prefix}probe`, "1");
    expect(await redis.get(`${prefix}probe`)).toBe("1");
    await cleanup();
    expect(await redis.exists(`${prefix}probe`)).toBe(0);
    await redis.quit();
  });

  it("creates and drops a PostgreSQL database of its own", async () => {
    const db = await freshPgDatabase();
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query<{ n: number }>("select 41 + 1 as n");
    expect(rows[0]?.n).toBe(42);
    await c.end();
    await db.drop();
  });
});
