import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { CLOSE, type HubToClient } from "../../../shared/protocol";
import { FakeClient } from "../../support/fake-client";
import { BUSES, busEnv, type TestRedis, testRedis } from "../../support/redis-cluster";
import { freshPgDatabase } from "../../support/services";
import {
  ACME,
  AppUser,
  api,
  asError,
  CAPTCHA_TEXT,
  emptyStore,
  handler,
  handshakeHub,
  lastSmsCode,
  legalRep,
  loggedInClient,
  passwordLogin,
  seedCompany,
  seedPerson,
  solvedCaptcha,
} from "../../support/world";
import { appPhone } from "../qr/steps";

// Two hub nodes sharing one PostgreSQL database and one Redis: the lock holds across both under a
// burst, a QR confirmed on one node logs in the client on the other, and a session ended on one node
// closes its socket on the other. On one Redis and on a Redis Cluster (captcha answers, limits and the
// session-ended notice all go through the bus).

describe.each(BUSES)("on %s", (bus) => {
  let redis: TestRedis;
  let pg: Awaited<ReturnType<typeof freshPgDatabase>>;
  let a: Hub;
  let b: Hub;
  let handlerId: string;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([freshPgDatabase(), testRedis(bus)]);
    const env = { DATABASE_URL: pg.url, ...busEnv(redis) };
    [a, b] = await Promise.all([
      handshakeHub({ ...env, NODE_ID: "node-a" }),
      handshakeHub({ ...env, NODE_ID: "node-b" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.cleanup();
    await pg?.drop();
  });
  beforeEach(async () => {
    await emptyStore(a.db);
    handlerId = await seedPerson(a.db, handler);
    await seedPerson(a.db, legalRep);
    await seedCompany(a.db, ACME);
  });

  describe("the password lock on two nodes", () => {
    it("lets exactly 5 of 50 simultaneous wrong passwords be checked, then refuses the right one everywhere", async () => {
      const clients = await Promise.all(
        Array.from({ length: 50 }, (_, i) => FakeClient.connect(i % 2 ? a.url : b.url)),
      );
      const captchas = await Promise.all(clients.map((c) => solvedCaptcha(c, "login")));
      const answers = await Promise.all(
        clients.map((c, i) => passwordLogin(c, handler.phone, `Wrong-pass${i}`, captchas[i])),
      );
      const codes = answers.map((r) => asError(r).code);
      expect(codes.filter((c) => c === "ACCOUNT_OR_PASSWORD_WRONG")).toHaveLength(4);
      expect(codes.filter((c) => c === "ACCOUNT_LOCKED")).toHaveLength(46);
      const checked = await a.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log
       WHERE action = 'login.password' AND (detail->>'verified')::boolean`,
      );
      expect(checked).toEqual([{ n: 5 }]);
      const nodes = await a.db.query<{ node: string; n: number }>(
        "SELECT node, count(*)::int AS n FROM audit_log WHERE action = 'login.password' GROUP BY node ORDER BY node",
      );
      expect(nodes).toEqual([
        { node: "node-a", n: 25 },
        { node: "node-b", n: 25 },
      ]);

      for (const c of [clients[0], clients[1]] as FakeClient[]) {
        const r = asError(
          await passwordLogin(c, handler.loginName, handler.password, await solvedCaptcha(c, "login")),
        );
        expect(r).toMatchObject({ code: "ACCOUNT_LOCKED", minutesLeft: 120 });
      }
      await Promise.all(clients.map((c) => c.close()));
    });

    it("checks a captcha drawn on one node when the answer comes to the other", async () => {
      const image = await api(a.url, "POST", "/api/app/captcha", { purpose: "login" });
      expect(image.status).toBe(200);
      const r = await api(b.url, "POST", "/api/app/login", {
        account: handler.loginName,
        password: handler.password,
        captcha: { id: image.body.id, answer: CAPTCHA_TEXT },
      });
      expect(r.status).toBe(200);
      const reused = await api(a.url, "POST", "/api/app/login", {
        account: handler.loginName,
        password: handler.password,
        captcha: { id: image.body.id, answer: CAPTCHA_TEXT },
      });
      expect(reused).toMatchObject({ status: 401, body: { code: "CAPTCHA_EXPIRED" } });
    });
  });

  describe("QR login across nodes", () => {
    it("logs the client on node A into a stored session when the phone confirms on node B", async () => {
      const phone = await appPhone(b.url, handler);
      const client = await FakeClient.connect(a.url);
      const t = await client.issue();
      expect((await phone.scan(t.ticketId)).status).toBe(200);
      expect(await client.state(t.ticketId, "scanned")).toMatchObject({ maskedName: "*芳" });
      expect((await phone.confirm(t.ticketId)).status).toBe(200);
      const session = await client.completeLogin(t);
      expect(session).toMatchObject({ method: "qr", handler: { maskedName: "*芳" } });
      expect(
        await a.db.query(
          "SELECT person_id, login_method FROM sessions WHERE kind = 'client' AND ended_at IS NULL",
        ),
      ).toEqual([{ person_id: handlerId, login_method: "qr" }]);
      expect((await client.request({ type: "company.list" })).type).toBe("company.list.result");
      await client.close();
    });
  });

  describe("a session ended on the other node", () => {
    const endedOn = async (c: FakeClient): Promise<HubToClient> => {
      const ended = await c.next("session.ended");
      expect((await c.closed).code).toBe(CLOSE.SESSION_ENDED.code);
      return ended;
    };

    it("closes the socket on A when the password is reset through node B", async () => {
      const { client } = await loggedInClient(a.url, handler);
      const identity = { name: handler.name, idType: handler.idType, idNumber: handler.idNumber };
      expect((await api(b.url, "POST", "/api/password/sms", identity)).status).toBe(200);
      const reset = await api(b.url, "POST", "/api/password/reset", {
        ...identity,
        password: "New-passw0rd",
        smsCode: await lastSmsCode(b),
      });
      expect(reset.status).toBe(200);
      expect(await endedOn(client)).toMatchObject({ reason: "password_reset" });
    });

    it("closes the socket on A when the legal representative revokes the authorization on B", async () => {
      const legal = await AppUser.login(b.url, legalRep);
      const grant = await legal.call("POST", `/api/app/companies/${ACME.taxId}/authorizations`, {
        name: handler.name,
        idType: handler.idType,
        idNumber: handler.idNumber,
      });
      const { client } = await loggedInClient(a.url, handler);
      expect((await client.request({ type: "authorization.enter", taxId: ACME.taxId })).type).toBe(
        "company.entered",
      );
      const revoked = await legal.call(
        "DELETE",
        `/api/app/companies/${ACME.taxId}/authorizations/${grant.body.id}`,
      );
      expect(revoked.body).toEqual({ sessionsEnded: 1 });
      expect(await endedOn(client)).toMatchObject({ reason: "authorization_revoked" });
    });

    it("closes a stale socket on A when the same session logs out on B", async () => {
      const { client, session } = await loggedInClient(a.url, handler);
      const resumed = await FakeClient.connect(b.url, { resume: { session: session.token } });
      await resumed.next("session");
      expect(await resumed.request({ type: "logout" })).toMatchObject({
        type: "session.ended",
        reason: "logout",
      });
      expect(await endedOn(client)).toMatchObject({ reason: "logout" });
      await resumed.close();
    });
  });
});
