import type { Queryable, Db as StoreDb } from "../store/db";

// The slice of the durable store the login flows need: plain SQL with $1 parameters and a
// transaction. Structural on purpose, so the store's own Db (PGlite or pg Pool underneath) fits
// without an adapter. A nested `transaction` on a tx may simply run `fn(tx)`.
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<{ rows: T[] }>;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}

/** The store's Db (rows as an array) as this seam; inside a transaction, nested calls run in it. */
export function fromStore(db: StoreDb): Db {
  const over = (q: Queryable): Db => {
    const self: Db = {
      query: async <T>(sql: string, params: unknown[]) => ({ rows: await q.query<T>(sql, params) }),
      transaction: (fn) => fn(self),
    };
    return self;
  };
  return { ...over(db), transaction: (fn) => db.transaction((tx) => fn(over(tx))) };
}
