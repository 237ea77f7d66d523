import type { Db } from "./db";
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 } from "./schema";

// Versioned migrations, applied in order at start, all in one transaction. Append only: a released
// migration is never edited; a change is a new entry.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "people, codes, companies, lockouts, sessions, audit", sql: SCHEMA_V1 },
  { version: 2, name: "sessions: login method and how the company was entered", sql: SCHEMA_V2 },
  { version: 3, name: "audit_log: a company's rows by time (办税记录)", sql: SCHEMA_V3 },
];

// Two hub processes starting at once on one PostgreSQL: the second waits on this lock, then finds
// the work done. ("SHIM" in ASCII.)
const MIGRATION_LOCK = 0x5348494d;

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`The database has schema version ${found}; this code knows up to ${known}. Upgrade the hub.`);
    this.name = "SchemaTooNewError";
  }
}

/** Applies the missing migrations; returns the versions it applied. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK]);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer PRIMARY KEY,
         name       text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const rows = await tx.query<{ version: number }>("SELECT version FROM schema_migrations");
    const done = new Set(rows.map((r) => r.version));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) throw new SchemaTooNewError(newest, known);
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
