import type { Db } from "./db";
import { migrate } from "./migrations";
import { openPglite } from "./pglite";
import { openPostgres } from "./postgres";

export type { Db, Queryable } from "./db";
export { uniqueViolation } from "./db";

/** `DATA_DIR=:memory:` keeps the embedded store in memory (tests, throwaway demos). */
export const IN_MEMORY = ":memory:";

/** Opens the store picked by the configuration — PostgreSQL if DATABASE_URL is set — and migrates it. */
export async function openStore(config: { dataDir: string; databaseUrl: string | undefined }): Promise<Db> {
  const db = config.databaseUrl
    ? await openPostgres(config.databaseUrl)
    : await openPglite(config.dataDir === IN_MEMORY ? undefined : config.dataDir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
