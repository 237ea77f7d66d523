// The store seam: the whole server speaks this, whether PGlite or PostgreSQL is behind it.
// One SQL dialect (PostgreSQL), one code path; `$1`-style parameters only.

/** Something that runs SQL: the database itself, or the open transaction handed to `transaction(fn)`. */
export interface Queryable {
  /** One statement; returns its rows (use `RETURNING` to see what a write touched). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /**
   * Runs `fn` in one transaction: committed if it resolves, rolled back if it throws (the error is
   * rethrown). Inside, use only the `tx` it is given — on PGlite the database waits for the transaction.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATE 23505, with the name of the unique constraint or index that refused the row. */
export function uniqueViolation(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && (err as { code?: unknown }).code === "23505") {
    return String((err as { constraint?: unknown }).constraint ?? "");
  }
  return undefined;
}
