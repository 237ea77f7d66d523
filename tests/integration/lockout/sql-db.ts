import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import type { Db } from "../../../server/lockout/db";

// Test-side adapters onto the login flows' Db seam; the store module ships its own.

export function pgPoolDb(pool: pg.Pool): Db {
  const on = (client: pg.Pool | pg.PoolClient): Db["query"] =>
    (async (sql: string, params: unknown[]) => client.query(sql, params)) as Db["query"];
  return {
    query: on(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: Db = { query: on(client), transaction: (inner) => inner(tx) };
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

export function pgliteDb(db: PGlite): Db {
  return {
    query: (async (sql: string, params: unknown[]) => db.query(sql, params)) as Db["query"],
    transaction: (fn) =>
      db.transaction((t) => {
        const tx: Db = {
          query: (async (sql: string, params: unknown[]) => t.query(sql, params)) as Db["query"],
          transaction: (inner) => inner(tx),
        };
        return fn(tx);
      }),
  };
}
