import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { identitySubject } from "../../../server/store/audit";
import { FakeClient } from "../../support/fake-client";
import type { FakePhone } from "../../support/fake-phone";
import { eventually, OwnRedis } from "../../support/hub-nodes";
import { freshPgDatabase } from "../../support/services";
import { countWire, total, type WireCounts } from "../../support/wire-counts";
import { api, emptyStore, handler, handshakeHub, seedPerson } from "../../support/world";
import { appPhone } from "./steps";

// What one whole QR login costs on the wire: ticket → scan → confirm → push → redeem → session, the
// client on node A, the phone (its stored session, logged in with its password) on node B, on a
// redis-server of this test's own and a PostgreSQL database of its own. Counted as the commands and
// statements leave the hubs, and as Redis ran them (INFO, calls inside scripts included). The bench
// measures the time; this test fails when a login needs more round trips than it does now.

const LOGINS = 10;

/** Per login, at most (a ceiling each change may lower, never raise without a reason). */
const MAX_REDIS_SENT = 5;
/** Round trips: one per command (the address's ticket limit rides in the ticket's write, the phone's
 *  scan limit in the scan's read). */
const MAX_REDIS_TRIPS = 5;
const MAX_REDIS_RUN = 27;
/** Exactly: the session, its audit row and the person read in one statement; the phone's auth from its node's memory. */
const SQL_PER_LOGIN = 1;

let redis: OwnRedis;
let pg: Awaited<ReturnType<typeof freshPgDatabase>>;
let a: Hub;
let b: Hub;
let phone: FakePhone;
let handlerId: string;

beforeAll(async () => {
  redis = await OwnRedis.start();
  pg = await freshPgDatabase();
  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: "cost:",
    HUB_LIMITS: JSON.stringify({
      scansPerPhonePerMinute: 100,
      ticketsPerIpPerMinute: 1000,
      ticketsPerConnectionPerMinute: 100,
      messagesPerSecond: 200,
      floodMessagesPerSecond: 400,
    }),
  };
  [a, b] = await Promise.all([
    handshakeHub({ ...env, NODE_ID: "node-a" }),
    handshakeHub({ ...env, NODE_ID: "node-b" }),
  ]);
  await emptyStore(a.db);
  handlerId = await seedPerson(a.db, handler);
  phone = await appPhone(b.url, handler);
});

afterAll(async () => {
  await client?.close();
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
  await pg?.drop();
});

/** As the bench's clients do: one socket, a new ticket after each login. */
let client: FakeClient;

async function oneLogin(): Promise<void> {
  client ??= await FakeClient.connect(a.url);
  const t = await client.issue();
  expect((await phone.scan(t.ticketId)).status).toBe(200);
  await client.state(t.ticketId, "scanned");
  expect((await phone.confirm(t.ticketId)).status).toBe(200);
  const session = await client.completeLogin(t);
  expect(session).toMatchObject({ method: "qr", handler: { maskedName: "*芳" } });
}

/** Everything Redis ran (scripts' calls included), by command, from its own INFO. */
async function redisRan(): Promise<Record<string, number>> {
  const { Redis } = await import("ioredis");
  const r = new Redis(redis.url);
  try {
    const info = await r.info("commandstats");
    const out: Record<string, number> = {};
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1] ?? ""] = Number(m[2]);
    return out;
  } finally {
    r.disconnect();
  }
}

const perLogin = (m: Record<string, number>) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round((v / LOGINS) * 10) / 10]));

describe("what one QR login costs across two nodes", () => {
  it("stays within its Redis round trips and SQL statements, with its audit row and session", async () => {
    await oneLogin(); // connections, prepared scripts, the phone's session: not per login
    const ranBefore = await redisRan();
    const auditBefore = await a.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'session.create'",
    );
    const stop = countWire();
    for (let i = 0; i < LOGINS; i++) await oneLogin();
    const sent: WireCounts = stop();
    const ranAfter = await redisRan();
    const ran: Record<string, number> = {};
    for (const [k, v] of Object.entries(ranAfter))
      if (v - (ranBefore[k] ?? 0) > 0) ran[k] = v - (ranBefore[k] ?? 0);
    ran.info = (ran.info ?? 0) - 1; // the look of redisRan itself
    if (ran.info <= 0) delete ran.info;

    const trips = sent.writes[String(redis.port)] ?? 0;
    const report = {
      sent: perLogin(sent.redis),
      trips: trips / LOGINS,
      ran: perLogin(ran),
      sql: perLogin(sent.sql),
    };
    console.log(`per QR login: ${JSON.stringify(report)}`);
    expect(total(sent.redis) / LOGINS, JSON.stringify(report)).toBeLessThanOrEqual(MAX_REDIS_SENT);
    expect(trips / LOGINS, JSON.stringify(report)).toBeLessThanOrEqual(MAX_REDIS_TRIPS);
    expect(total(ran) / LOGINS, JSON.stringify(report)).toBeLessThanOrEqual(MAX_REDIS_RUN);
    expect(total(sent.sql) / LOGINS, JSON.stringify(report)).toBe(SQL_PER_LOGIN);

    // The cheaper path keeps what the login must leave behind: one audit row and one session each.
    const auditAfter = await a.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'session.create'",
    );
    expect((auditAfter[0]?.n ?? 0) - (auditBefore[0]?.n ?? 0)).toBe(LOGINS);
    const last = await a.db.query<{ subject: string; actor: string; detail: unknown }>(
      "SELECT subject, actor, detail FROM audit_log WHERE action = 'session.create' ORDER BY id DESC LIMIT 1",
    );
    expect(last[0]).toEqual({
      subject: identitySubject(handler.idType, handler.idNumber), // masked in SQL as in TypeScript
      actor: `person:${handlerId}`,
      detail: { kind: "client", method: "qr", replaced: false },
    });
  });
});

describe("the phone session a node remembers", () => {
  it("is refused on node B at once when the phone logs out through node A", async () => {
    const other = await appPhone(b.url, handler);
    const client = await FakeClient.connect(a.url);
    const t = await client.issue();
    expect((await other.scan(t.ticketId)).status).toBe(200); // node B now remembers this session
    expect((await api(a.url, "POST", "/api/app/logout", undefined, other.token)).status).toBe(200);
    // Well inside the 30 s after which node B would look at the store again anyway.
    const refused = await eventually(async () => {
      const r = await other.confirm(t.ticketId);
      return r.status === 401 ? r : null;
    }, 5000);
    expect(refused.body).toMatchObject({ code: "PHONE_LOGIN_REQUIRED" });
    await client.close();
  });
});
