import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttemptResult, guardedAttempt } from "../../../server/lockout/attempt";
import { LOCK_MS } from "../../../server/lockout/machine";
import { clearLockout, SqlLockoutStore } from "../../../server/lockout/store";
import type { Db } from "../../../server/store";
import { migrate } from "../../../server/store/migrations";
import { openPglite } from "../../../server/store/pglite";
import { openPostgres } from "../../../server/store/postgres";
import { freshPgDatabase, TEST_DATABASE_URL } from "../../support/services";

const now = new Date("2024-03-01T08:00:00.000Z");

/** A wrong password that takes a little while to check, like argon2 does. */
function slowVerifier(right: boolean) {
  const seen = { verified: 0 };
  return {
    seen,
    verify: async () => {
      seen.verified++;
      await new Promise((r) => setTimeout(r, 15));
      return right;
    },
  };
}

interface Backend {
  /** Two hub nodes: separate connections onto the same database. */
  nodes: [Db, Db];
  /** A node started later (after a restart). */
  freshNode(): Db;
  row(kind: string, id: string): Promise<{ failures: number; locked_until: Date | null } | undefined>;
}

/** The lockout row of one subject, as `db` holds it. */
const lockoutRow =
  (db: Db): Backend["row"] =>
  async (kind, id) =>
    (
      await db.query<{ failures: number; locked_until: Date | null }>(
        "SELECT failures, locked_until FROM lockouts WHERE subject_kind = $1 AND subject_id = $2",
        [kind, id],
      )
    )[0];

function lockoutSuite(name: string, open: () => Promise<Backend>, close: () => Promise<void>) {
  describe(`lockout store on ${name}`, () => {
    let b: Backend;
    beforeAll(async () => {
      b = await open();
    });
    afterAll(close);

    it("lets exactly 5 of 50 simultaneous wrong passwords over two nodes be verified, then refuses the rest", async () => {
      const [a, c] = b.nodes.map((db) => new SqlLockoutStore(db));
      const wrong = slowVerifier(false);
      const results: AttemptResult[] = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          guardedAttempt(
            i % 2 ? (a as SqlLockoutStore) : (c as SqlLockoutStore),
            "password",
            "p-50",
            now,
            true,
            wrong.verify,
          ),
        ),
      );

      expect(wrong.seen.verified).toBe(5);
      const decisions = results.map((r) => (r.ok ? "ok" : r.decision.kind));
      expect(decisions.filter((d) => d === "wrong")).toHaveLength(4);
      expect(decisions.filter((d) => d === "locked")).toHaveLength(46);
      const refusedUnverified = results.filter(
        (r) => !r.ok && r.decision.kind === "locked" && !r.decision.justLocked,
      );
      expect(refusedUnverified).toHaveLength(45);
      expect(await b.row("password", "p-50")).toEqual({
        failures: 5,
        locked_until: new Date(now.getTime() + LOCK_MS),
      });
    });

    it("lets only one of 10 simultaneous captcha-less first tries over two nodes be verified", async () => {
      const [a, c] = b.nodes.map((db) => new SqlLockoutStore(db)) as [SqlLockoutStore, SqlLockoutStore];
      const wrong = slowVerifier(false);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          guardedAttempt(i % 2 ? a : c, "password", "p-cap", now, false, wrong.verify),
        ),
      );
      expect(wrong.seen.verified).toBe(1);
      const kinds = results.map((r) => (r.ok ? "ok" : r.decision.kind));
      expect(kinds.filter((k) => k === "captcha_required")).toHaveLength(9);
      expect(await b.row("password", "p-cap")).toEqual({ failures: 1, locked_until: null });
    });

    it("keeps the lock for a node started after a restart, even with the right password", async () => {
      const later = new SqlLockoutStore(b.freshNode());
      const right = slowVerifier(true);
      const r = await guardedAttempt(
        later,
        "password",
        "p-50",
        new Date(now.getTime() + 60_000),
        true,
        right.verify,
      );
      expect(r).toEqual({
        ok: false,
        decision: {
          kind: "locked",
          justLocked: false,
          lockedUntil: new Date(now.getTime() + LOCK_MS),
          minutesLeft: 119,
        },
      });
      expect(right.seen.verified).toBe(0);
    });

    it("is lifted by a reset on another node while tries queue on it, and says it was locked", async () => {
      const [a, c] = b.nodes.map((db) => new SqlLockoutStore(db)) as [SqlLockoutStore, SqlLockoutStore];
      const wrong = slowVerifier(false);
      for (let i = 0; i < 5; i++) await guardedAttempt(a, "declaration", "t-reset", now, true, wrong.verify);
      expect((await b.row("declaration", "t-reset"))?.failures).toBe(5);
      const [lifted, tries] = await Promise.all([
        b.nodes[1].transaction((tx) => clearLockout(tx, "declaration", "t-reset", now)),
        Promise.all(Array.from({ length: 4 }, () => c.reserveTry("declaration", "t-reset", now, true))),
      ]);
      expect(lifted).toBe(true);
      // Each queued try saw the lock or came after the reset and counted from zero: never lost.
      const counted = tries.filter((t) => t.kind !== "locked").length;
      expect((await b.row("declaration", "t-reset"))?.failures).toBe(counted);
      expect(await clearLockout(b.nodes[0], "declaration", "t-reset", now)).toBe(false);
      expect(await clearLockout(b.nodes[0], "declaration", "never-tried", now)).toBe(false);
    });

    it("resets the count when the right password follows 3 wrong ones", async () => {
      const [a, c] = b.nodes.map((db) => new SqlLockoutStore(db)) as [SqlLockoutStore, SqlLockoutStore];
      for (const store of [a, c, a])
        await guardedAttempt(store, "declaration", "c-3", now, true, slowVerifier(false).verify);
      expect(await c.check("declaration", "c-3", now)).toEqual({
        kind: "open",
        captchaRequired: true,
        attemptsLeft: 2,
      });

      expect(await guardedAttempt(c, "declaration", "c-3", now, true, slowVerifier(true).verify)).toEqual({
        ok: true,
      });
      expect(await b.row("declaration", "c-3")).toEqual({ failures: 0, locked_until: null });
      expect(await a.check("declaration", "c-3", now)).toEqual({
        kind: "open",
        captchaRequired: false,
        attemptsLeft: 5,
      });
    });

    it("opens again once the 120 minutes have run, counting afresh", async () => {
      const store = new SqlLockoutStore(b.nodes[0]);
      const after = new Date(now.getTime() + LOCK_MS);
      expect(await store.check("password", "p-50", after)).toEqual({
        kind: "open",
        captchaRequired: false,
        attemptsLeft: 5,
      });
      expect(await store.reserveTry("password", "p-50", after, false)).toEqual({
        kind: "wrong",
        captchaRequired: true,
        attemptsLeft: 4,
      });
    });

    it("lifts a lock on clear (password reset)", async () => {
      const store = new SqlLockoutStore(b.nodes[1]);
      for (let i = 0; i < 5; i++) await store.reserveTry("declaration", "c-reset", now, true);
      expect(await store.check("declaration", "c-reset", now)).toMatchObject({ kind: "locked" });
      await store.clear("declaration", "c-reset", now);
      expect(await store.check("declaration", "c-reset", now)).toMatchObject({
        kind: "open",
        attemptsLeft: 5,
      });
    });

    it("locks at once (keeping a running lock), counts locked subjects by prefix and lifts them by prefix", async () => {
      const [a, c] = b.nodes.map((db) => new SqlLockoutStore(db)) as [SqlLockoutStore, SqlLockoutStore];
      expect(await a.lock("declaration", "co-1", now)).toMatchObject({ kind: "locked", justLocked: true });
      const later = new Date(now.getTime() + 60_000);
      expect(await c.lock("declaration", "co-1", later)).toMatchObject({
        kind: "locked",
        justLocked: false,
        lockedUntil: new Date(now.getTime() + LOCK_MS),
      });
      for (const who of ["p1", "p2"]) {
        for (let i = 0; i < 5; i++) await a.reserveTry("declaration", `co-2/by/${who}`, now, true);
      }
      await a.reserveTry("declaration", "co-2/by/p3", now, true); // one wrong: not locked
      expect(await c.countLocked("declaration", "co-2/by/", now)).toBe(2);
      expect(await c.countLocked("declaration", "co-2/by/", new Date(now.getTime() + LOCK_MS))).toBe(0);
      expect(await c.clearPrefix("declaration", "co-2/by/", now)).toBe(3);
      expect(await b.row("declaration", "co-2/by/p1")).toMatchObject({ failures: 0, locked_until: null });
      expect(await a.check("declaration", "co-1", later)).toMatchObject({ kind: "locked" });
    });
  });
}

/** pg-pool's end() resolves before its sockets close; a forced DROP would then kill them mid-goodbye. */
async function untilDisconnected(dbName: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [
      dbName,
    ]);
    if (rows[0]?.n === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await admin.end();
}

// Both backends through the store's own seam (server/store), migrated as a hub migrates it: the path
// every login, reset and hall unlock takes.
{
  let database: Awaited<ReturnType<typeof freshPgDatabase>>;
  const pools: Db[] = [];
  const node = async () => {
    const db = await openPostgres(database.url);
    pools.push(db);
    return db;
  };
  lockoutSuite(
    "PostgreSQL",
    async () => {
      database = await freshPgDatabase();
      const first = await node();
      await migrate(first);
      const later = await node();
      return {
        nodes: [first, await node()],
        freshNode: () => later,
        row: lockoutRow(first),
      };
    },
    async () => {
      await Promise.all(pools.map((p) => p.close()));
      await untilDisconnected(new URL(database.url).pathname.slice(1));
      await database.drop();
    },
  );
}

{
  let lite: Db;
  lockoutSuite(
    "PGlite",
    async () => {
      lite = await openPglite();
      await migrate(lite);
      return {
        nodes: [lite, lite],
        freshNode: () => lite,
        row: lockoutRow(lite),
      };
    },
    () => lite.close(),
  );
}
