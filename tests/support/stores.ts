import type { Db } from "../../server/store";
import { migrate } from "../../server/store/migrations";
import { openPglite } from "../../server/store/pglite";
import { openPostgres } from "../../server/store/postgres";
import { freshPgDatabase } from "./services";

// The two stores every store and accounts suite runs against (describe.each(STORES)).
export const STORES = ["pglite", "postgres"] as const;
export type StoreKind = (typeof STORES)[number];

export interface TestStore {
  db: Db;
  /** For PostgreSQL: this run's own database URL. */
  url?: string;
  cleanup(): Promise<void>;
}

/** A migrated store of this test's own: PGlite in memory, or a fresh PostgreSQL database. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === "pglite") {
    const db = await openPglite();
    await migrate(db);
    return { db, cleanup: () => db.close() };
  }
  const pg = await freshPgDatabase();
  const db = await openPostgres(pg.url);
  await migrate(db);
  return {
    db,
    url: pg.url,
    async cleanup() {
      await db.close();
      await pg.drop();
    },
  };
}

const TABLES = [
  "audit_log",
  "sessions",
  "lockouts",
  "authorizations",
  "company_bindings",
  "companies",
  "sms_codes",
  "registrations",
  "hall_codes",
  "people",
];

/** Empties every product table (between tests sharing one store). */
export async function emptyTables(db: Db): Promise<void> {
  await db.exec(`TRUNCATE ${TABLES.join(", ")} CASCADE`);
}
