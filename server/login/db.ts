// The slice of the durable store the login flows need: plain SQL with $1 parameters and a
// transaction. Structural on purpose, so the store's own Db (PGlite or pg Pool underneath) fits
// without an adapter. A nested `transaction` on a tx may simply run `fn(tx)`.
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<{ rows: T[] }>;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}
