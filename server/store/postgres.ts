import pg from "pg";
import type { Db, Queryable } from "./db";

// PostgreSQL through a `pg` pool, when DATABASE_URL is set: several hub nodes share it.

// int8 (COUNT, identity ids) as a number, as PGlite gives it: one row shape for both stores.
const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await client.query(sql, [...params])).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max, types });
  // An idle client losing its server (restart, network) must not crash the hub: the pool drops it.
  pool.on("error", () => {});
  await pool.query("SELECT 1"); // fail at start, not at the first request
  return {
    kind: "postgres",
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch((e: Error) => {
          broken = e; // the connection itself failed: the pool must not hand it out again
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
