import { resolve } from "node:path";
import pg from "pg";
import { maskAccount } from "../../shared/mask";
import type { Sample, Suite } from "../lib";
import { requireMessages } from "../support/capability";
import { type BenchHub, startHub } from "../support/hub";
import { KNOWN_CAPTCHA } from "../support/known-captcha-answer";
import { addPeople } from "../support/people";
import { freshDatabase, freshRedisPrefix, REDIS_URL } from "../support/services";
import { spawnWorker, type Worker } from "../support/workers";

// Issue 9 item 4: 50 wrong passwords for one account at the same instant, half through each of two
// nodes (one PostgreSQL, one Redis) → how many were let through to the password check before the
// lock? seed 1.1: the 5th wrong one locks, so exactly 5. Read from the account's lockout row (the
// count the hub keeps, taken before each verify) and the answers the tries got.
// Every try carries a solved captcha (after one wrong password the next needs one), through the
// bench-only known-captcha preload in the hubs.

const TRIES = 50;
const KNOWN_CAPTCHA_PRELOAD = resolve(import.meta.dirname, "../support/known-captcha.ts");

interface Setup {
  hubs: BenchHub[];
  dbUrl: string;
  worker: Worker;
  cleanups: (() => Promise<unknown>)[];
}

export function lockoutSuite(): Suite {
  let setup: Setup | null = null;
  const space = freshRedisPrefix();
  return {
    name: "lockout under load",
    runs: 3,
    async run() {
      setup ??= await start(space.prefix);
      const { hubs, dbUrl, worker } = setup;
      const [person] = await addPeople(dbUrl, 1);
      if (!person) throw new Error("could not add the bench person");
      const since = await dbNow(dbUrl);
      const { codes } = await worker.ask<{ codes: Record<string, number> }>({
        type: "storm",
        urls: hubs.map((h) => h.url),
        tries: TRIES,
        account: person.loginName,
        password: "Wrong-Pass-123",
        captchaAnswer: KNOWN_CAPTCHA,
      });
      if (codes.CAPTCHA_WRONG)
        throw new Error(
          "the hub refused the bench's captcha answers: bench/support/known-captcha.ts no longer matches server/captcha",
        );
      const row = await lockoutRow(dbUrl, person.id);
      const audited = await verifiedInAudit(dbUrl, maskAccount(person.loginName), since);
      const answers = Object.entries(codes)
        .map(([k, v]) => `${v}× ${k}`)
        .join("; ");
      const out: Record<string, Sample> = {
        "wrong passwords verified before the lock": {
          value: row?.failures ?? 0,
          unit: "",
          target: "= 5",
          note: `the lockout row's count; ${TRIES} at once over 2 nodes; answers: ${answers}`,
        },
        "wrong passwords verified, by the audit log": {
          value: audited,
          unit: "",
          target: "= 5",
          note: "login.password rows marked verified since the storm began",
        },
        "account locked afterwards": { value: row?.locked ? 1 : 0, unit: "", target: "= 1" },
      };
      return out;
    },
    async close() {
      const s = setup;
      setup = null;
      for (const c of s?.cleanups ?? []) await c().catch((err) => console.error("  cleanup failed:", err));
      await space.cleanup();
    },
  };
}

async function start(prefix: string): Promise<Setup> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const later = (c: () => Promise<unknown>) => cleanups.unshift(c);
  try {
    const db = await freshDatabase();
    later(() => db.drop());
    const env = { DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: prefix };
    const hubs: BenchHub[] = [];
    for (const nodeId of ["bench-lock-a", "bench-lock-b"]) {
      const hub = await startHub({ nodeId, env, preload: [KNOWN_CAPTCHA_PRELOAD] });
      later(() => hub.stop());
      hubs.push(hub);
    }
    await requireMessages((hubs[0] as BenchHub).url, [
      { type: "captcha.new", purpose: "login" },
      { type: "login.password", account: "nobody_here", password: "Wrong-password-1" },
    ]);
    const worker = spawnWorker("logins.ts", "storm");
    later(() => worker.stop());
    return { hubs, dbUrl: db.url, worker, cleanups };
  } catch (err) {
    for (const c of cleanups) await c().catch(() => {});
    throw err;
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function dbNow(url: string): Promise<Date> {
  const [row] = await query<{ now: Date }>(url, "SELECT now() AS now");
  return row?.now ?? new Date(0);
}

async function lockoutRow(url: string, personId: string) {
  const rows = await query<{ failures: number; locked: boolean }>(
    url,
    `SELECT failures, locked_until > now() AS locked FROM lockouts
     WHERE subject_kind = 'password' AND subject_id = $1`,
    [personId],
  );
  return rows[0] ?? null;
}

/** Tries the hub itself wrote down as verified (argon2 ran) for this masked account since `since`. */
async function verifiedInAudit(url: string, maskedAccount: string, since: Date): Promise<number> {
  const rows = await query<{ n: string }>(
    url,
    `SELECT count(*) AS n FROM audit_log
     WHERE action = 'login.password' AND subject = $1 AND at >= $2 AND detail->>'verified' = 'true'`,
    [maskedAccount, since],
  );
  return Number(rows[0]?.n ?? 0);
}
