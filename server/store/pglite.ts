import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Db, Queryable } from "./db";

// The embedded store: PostgreSQL compiled to WASM, in a folder (or in memory for tests).
// PGlite has no lock of its own and two processes writing one folder corrupt it, so we hold
// `DATA_DIR/store.lock` (our pid) while it is open.

export class StoreBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded store in ${dir} is in use by process ${pid} (a running hub?). ` +
        "Stop it first, or use PostgreSQL (DATABASE_URL) to share the store between processes.",
    );
    this.name = "StoreBusyError";
  }
}

/** Whether process `pid` still runs (a lock or hub file it left may be taken over otherwise). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function takeLock(dir: string): () => void {
  const path = join(dir, "store.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (readFileSync(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new StoreBusyError(dir, pid);
      unlinkSync(path); // left by a process that died: take it over
    }
  }
  throw new Error(`Could not lock ${path}`);
}

function wrap(q: Pick<PGlite, "query" | "exec">): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await q.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

/** Opens PGlite in `dataDir` (its files under `dataDir/pglite`), or in memory when no folder is given. */
export async function openPglite(dataDir?: string): Promise<Db> {
  let release = () => {};
  let pg: PGlite;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = takeLock(dataDir);
    try {
      pg = await PGlite.create(join(dataDir, "pglite"));
    } catch (err) {
      release();
      throw err;
    }
  } else {
    pg = await PGlite.create();
  }
  return {
    kind: "pglite",
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async close() {
      await pg.close();
      release();
    },
  };
}
