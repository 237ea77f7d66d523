import { describe, expect, it } from "vitest";
import { resetPassword } from "../../../server/hall/service";
import type { Hub } from "../../../server/hub";
import type { ManualClock } from "../../../server/kernel/clock";
import { REDEEM_WINDOW_MS } from "../../../server/qr/machine";
import { CLOSE } from "../../../shared/protocol";
import { FakeClient } from "../../support/fake-client";
import { hubSuite } from "../../support/hub-suite";
import { ACME, AppUser, api, asError, handler, lastSmsCode, loggedInClient } from "../../support/world";
import { appPhone } from "../qr/steps";

// Who is logged in on the client socket: the session row behind it, its idle timeout and absolute
// lifetime on an injected clock, 退出, resume after a reconnect (back on its company), and the ways a
// session ends elsewhere — a password reset through the accounts API, or the hall with no bus.

let hub: Hub;
let clock: ManualClock;
let handlerId: string;

// A working day of steps is sent in a few hundred milliseconds here: lift the per-second limit.
const limits = { messagesPerSecond: 200, floodMessagesPerSecond: 400 };
hubSuite("sessions", { limits }, { bound: true }, (s) => {
  ({ hub, clock, handlerId } = s);
});

const MINUTE = 60_000;
const endOf = async () =>
  (
    await hub.db.query<{ end_reason: string | null }>("SELECT end_reason FROM sessions ORDER BY created_at")
  ).map((r) => r.end_reason);

describe("a session's time", () => {
  it("ends after 30 idle minutes: the hub says so and closes the socket", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    clock.advance(29 * MINUTE);
    expect((await client.request({ type: "ping" })).type).toBe("pong"); // a ping is not activity
    clock.advance(MINUTE);
    expect(await client.next("session.ended")).toMatchObject({
      reason: "expired",
      message: "登录已过期，请重新登录",
    });
    expect((await client.closed).code).toBe(CLOSE.SESSION_ENDED.code);
    expect(await endOf()).toEqual(["expired"]);
  });

  it("lives on while the handler works, but never past 8 hours", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    for (let t = 20; t < 8 * 60; t += 20) {
      clock.advance(20 * MINUTE);
      expect(await client.request({ type: "company.list" }), `at ${t} minutes`).toMatchObject({
        type: "company.list.result",
      });
    }
    clock.advance(20 * MINUTE); // 8 hours since login
    client.send({ type: "company.list" });
    expect(await client.next("session.ended")).toMatchObject({ reason: "expired" });
    expect((await client.closed).code).toBe(CLOSE.SESSION_ENDED.code);
    expect(await endOf()).toEqual(["expired"]);
  });
});

describe("退出 and resume", () => {
  it("logs out: the socket stays open but logged out, and the token no longer resumes", async () => {
    const { client, session } = await loggedInClient(hub.url, handler);
    expect(await client.request({ type: "logout" })).toMatchObject({
      type: "session.ended",
      reason: "logout",
      message: "您已退出登录",
    });
    expect(asError(await client.request({ type: "company.list" })).code).toBe("NOT_LOGGED_IN");
    expect(await endOf()).toEqual(["logout"]);
    const again = await FakeClient.connect(hub.url, { resume: { session: session.token } });
    expect(await again.next("error")).toMatchObject({ code: "SESSION_EXPIRED" });
    await Promise.all([client.close(), again.close()]);
  });

  it("resumes after a reconnect: logged in again and back on its company", async () => {
    const { client, session } = await loggedInClient(hub.url, handler);
    await client.request({
      type: "declaration.verify",
      taxId: ACME.taxId,
      declarationPassword: ACME.declarationPassword,
    });
    client.closeConnection(); // the service worker was stopped
    clock.advance(10 * MINUTE);

    const back = await FakeClient.connect(hub.url, { resume: { session: session.token } });
    expect(await back.next("session")).toMatchObject({ token: session.token, method: "password" });
    expect(await back.next("company.entered")).toMatchObject({
      taxId: ACME.taxId,
      name: ACME.name,
      via: "declaration_password",
    });
    expect((await back.request({ type: "company.switch" })).type).toBe("company.list.result");
    expect(await hub.db.query("SELECT count(*)::int AS n FROM sessions")).toEqual([{ n: 1 }]);
    await back.close();
  });

  it("answers SESSION_EXPIRED to a token it does not know", async () => {
    const c = await FakeClient.connect(hub.url, { resume: { session: "A".repeat(43) } });
    expect(await c.next("error")).toMatchObject({
      code: "SESSION_EXPIRED",
      message: "登录已过期，请重新登录",
    });
    expect(asError(await c.request({ type: "company.list" })).code).toBe("NOT_LOGGED_IN");
    await c.close();
  });
});

describe("a session ended elsewhere", () => {
  it("closes the socket when the person resets the password (忘记密码 over the accounts API)", async () => {
    const { client, session } = await loggedInClient(hub.url, handler);
    const phoneApp = await AppUser.login(hub.url, handler);
    const identity = { name: handler.name, idType: handler.idType, idNumber: handler.idNumber };
    expect((await api(hub.url, "POST", "/api/password/sms", identity)).status).toBe(200);
    const reset = await api(hub.url, "POST", "/api/password/reset", {
      ...identity,
      password: "New-passw0rd",
      smsCode: await lastSmsCode(hub),
    });
    expect(reset).toEqual({ status: 200, body: { sessionsEnded: 2 } });
    expect(await client.next("session.ended")).toMatchObject({
      reason: "password_reset",
      message: "密码已重置，请重新登录",
    });
    expect((await client.closed).code).toBe(CLOSE.SESSION_ENDED.code);
    // The phone app's session ended with it.
    expect(await phoneApp.call("GET", "/api/app/me")).toMatchObject({
      status: 401,
      body: { code: "SESSION_EXPIRED" },
    });
    const again = await FakeClient.connect(hub.url, { resume: { session: session.token } });
    expect((await again.next("error")).code).toBe("SESSION_EXPIRED");
    await again.close();
  });

  it("ends it at the next step when no notice could reach the node (the hall's CLI without Redis)", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    const hall = {
      db: hub.db,
      clock,
      nodeId: "hall-cli",
      operator: "t",
    };
    expect(await resetPassword(hall, { ...handler, password: "Hall-passw0rd" })).toEqual({
      sessionsEnded: 1,
      wasLocked: false,
    });
    client.send({ type: "company.list" });
    expect(await client.next("session.ended")).toMatchObject({ reason: "password_reset" });
    expect((await client.closed).code).toBe(CLOSE.SESSION_ENDED.code);
  });
});

describe("QR login into a stored session", () => {
  it("logs the client in as the phone's person, and gives the session again to a client that never heard it", async () => {
    const phone = await appPhone(hub.url, handler);
    const first = await FakeClient.connect(hub.url);
    const t = await first.issue();
    expect((await phone.scan(t.ticketId)).status).toBe(200);
    expect((await phone.confirm(t.ticketId)).status).toBe(200);
    const session = await first.completeLogin(t);
    expect(session).toMatchObject({ method: "qr", handler: { maskedName: "*芳" } });
    const rows = await hub.db.query(
      "SELECT person_id, kind, login_method FROM sessions WHERE kind = 'client'",
    );
    expect(rows).toEqual([{ person_id: handlerId, kind: "client", login_method: "qr" }]);

    // As if the worker died before it stored that session: it comes back with the ticket.
    const second = await FakeClient.connect(hub.url, {
      resume: { ticket: { id: t.ticketId, secret: t.secret } },
    });
    const again = await second.next("session");
    expect(again.token).not.toBe(session.token);
    expect(await first.next("session.ended")).toMatchObject({ reason: "replaced" });
    expect(
      await hub.db.query(
        "SELECT end_reason FROM sessions WHERE kind = 'client' ORDER BY created_at, end_reason",
      ),
    ).toEqual(expect.arrayContaining([{ end_reason: "replaced" }, { end_reason: null }]));
    expect((await second.request({ type: "company.list" })).type).toBe("company.list.result");

    clock.advance(REDEEM_WINDOW_MS);
    const late = await FakeClient.connect(hub.url, {
      resume: { ticket: { id: t.ticketId, secret: t.secret } },
    });
    expect((await late.next("error")).code).toBe("TICKET_USED");
    await Promise.all([second.close(), late.close()]);
  });
});
