import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Queryable, uniqueViolation } from "../../../server/store";
import { MIGRATIONS, migrate, SchemaTooNewError } from "../../../server/store/migrations";
import { openPglite, StoreBusyError } from "../../../server/store/pglite";
import { openPostgres } from "../../../server/store/postgres";
import { freshPgDatabase } from "../../support/services";
import { emptyTables, openTestStore, STORES, type TestStore } from "../../support/stores";
import { suiteDir } from "../../support/temp-dir";

const NOW = new Date("2026-03-02T01:00:00Z");

async function insertPerson(db: Queryable, over: Record<string, string> = {}) {
  const p = {
    id_type: "居民身份证",
    id_number: "110101199003074514",
    login_name: "zhangsan",
    phone: "13812345678",
    ...over,
  };
  const rows = await db.query<{ id: string }>(
    `INSERT INTO people (name, id_type, id_number, login_name, phone, password_hash, password_changed_at,
       agreement_version, registered_via, created_at)
     VALUES ('张三', $1, $2, $3, $4, 'h', $5, 'v1', 'hall_code', $5) RETURNING id`,
    [p.id_type, p.id_number, p.login_name, p.phone, NOW],
  );
  return rows[0]?.id as string;
}

async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return uniqueViolation(err);
  }
  return "no error";
}

describe.each(STORES)("the store on %s", (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.cleanup());
  beforeEach(() => emptyTables(store.db));

  it("records each migration once and applies nothing on a second start", async () => {
    const rows = await store.db.query<{ version: number }>(
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(store.db)).toEqual([]);
  });

  it("refuses to run on a schema newer than the code knows", async () => {
    await expect(migrate(store.db, [])).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  it("keeps one account per identity, and login names (case-sensitive) and phones unique", async () => {
    await insertPerson(store.db);
    const db = store.db;
    expect(await refusal(insertPerson(db, { login_name: "other", phone: "13900000000" }))).toBe(
      "people_identity_key",
    );
    expect(await refusal(insertPerson(db, { id_number: "X1", phone: "13900000000" }))).toBe(
      "people_login_name_key",
    );
    expect(await refusal(insertPerson(db, { id_number: "X1", login_name: "other" }))).toBe(
      "people_phone_key",
    );
    // Same number under another ID type is another identity; "ZhangSan" is another login name.
    await insertPerson(db, { id_type: "外国护照", login_name: "ZhangSan", phone: "13900000000" });
    expect((await db.query("SELECT id FROM people")).length).toBe(2);
  });

  it("allows one live hall code per identity", async () => {
    const code = (hash: string) =>
      store.db.query(
        `INSERT INTO hall_codes (code_hash, name, id_type, id_number, issued_by, issued_at, expires_at)
         VALUES ($1, '张三', '居民身份证', '110101199003074514', 't', $2, $2)`,
        [hash, NOW],
      );
    await code("a");
    expect(await refusal(code("b"))).toBe("hall_codes_one_live_key");
    await store.db.query("UPDATE hall_codes SET voided_at = $1, void_reason = 'reissued'", [NOW]);
    await code("b");
  });

  it("rolls a transaction back when its function throws, and commits when it returns", async () => {
    await expect(
      store.db.transaction(async (tx) => {
        await insertPerson(tx);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await store.db.query("SELECT id FROM people")).toEqual([]);
    const id = await store.db.transaction((tx) => insertPerson(tx));
    expect(await store.db.query("SELECT id FROM people")).toEqual([{ id }]);
  });

  it("returns the same row shapes: numbers for int8, Dates for timestamptz, objects for jsonb", async () => {
    await store.db.query(
      "INSERT INTO audit_log (at, node, actor, action, outcome, detail) VALUES ($1, 'n', 'a', 'x', 'ok', $2::jsonb)",
      [NOW, JSON.stringify({ k: 1, s: "二" })],
    );
    const [row] = await store.db.query<{ id: unknown; at: unknown; detail: unknown; n: unknown }>(
      "SELECT id, at, detail, (SELECT count(*) FROM audit_log) AS n FROM audit_log",
    );
    expect(typeof row?.id).toBe("number");
    expect(row?.n).toBe(1);
    expect(row?.at).toEqual(NOW);
    expect(row?.detail).toEqual({ k: 1, s: "二" });
  });

  it("runs several statements with exec", async () => {
    await store.db.exec("CREATE TEMP TABLE t1 (a int); INSERT INTO t1 VALUES (1), (2);");
    expect(await store.db.query("SELECT sum(a)::int AS s FROM t1")).toEqual([{ s: 3 }]);
    await store.db.exec("DROP TABLE t1");
  });
});

describe("the embedded store in a folder", () => {
  let dir: string;
  suiteDir("shiming-store-", (d) => {
    dir = d;
  });

  it("keeps its rows across a restart", async () => {
    const first = await openStore({ dataDir: dir, databaseUrl: undefined });
    await insertPerson(first);
    await first.close();
    const again = await openStore({ dataDir: dir, databaseUrl: undefined });
    expect((await again.query("SELECT login_name FROM people")).length).toBe(1);
    await again.close();
  });

  it("refuses a second opener while the first holds it, then lets it in", async () => {
    const first = await openPglite(dir);
    await expect(openPglite(dir)).rejects.toBeInstanceOf(StoreBusyError);
    await first.close();
    const second = await openPglite(dir);
    await second.close();
  });

  it("takes over a lock left by a process that died", async () => {
    await writeFile(join(dir, "store.lock"), "999999999");
    const db = await openPglite(dir);
    expect(await readFile(join(dir, "store.lock"), "utf8")).toBe(String(process.pid));
    await db.close();
  });
});

describe("PostgreSQL shared by several hub processes", () => {
  it("migrates once when two nodes start at the same moment", async () => {
    const pg = await freshPgDatabase();
    const a = await openPostgres(pg.url);
    const b = await openPostgres(pg.url);
    const applied = await Promise.all([migrate(a), migrate(b)]);
    expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
    const rows = await a.query("SELECT version FROM schema_migrations");
    expect(rows.length).toBe(MIGRATIONS.length);
    await a.close();
    await b.close();
    await pg.drop();
  });
});
