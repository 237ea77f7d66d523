import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { ManualClock } from "../../../server/kernel/clock";
import { maskIdNumber } from "../../../shared/mask";
import { FakeClient } from "../../support/fake-client";
import {
  AppUser,
  asError,
  emptyStore,
  handler,
  handshakeHub,
  passportHolder,
  passwordLogin,
  seedPerson,
  solvedCaptcha,
} from "../../support/world";

// seed 1.1 账号密码登录 over the real client socket, one node: the account typed three ways, the captcha
// after a wrong password, the lock at the 5th (on the store, so it survives a restart), and an unknown
// account that reads exactly like a wrong password.

let hub: Hub;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(Date.parse("2024-03-01T09:00:00+08:00"));
  hub = await handshakeHub({}, { clock });
});
afterAll(() => hub.close());
beforeEach(async () => {
  await emptyStore(hub.db);
  await seedPerson(hub.db, handler);
  await seedPerson(hub.db, passportHolder);
});

/** `n` wrong passwords in a row (each after the first with a solved captcha). */
async function wrongTimes(c: FakeClient, account: string, n: number) {
  const answers = [];
  for (let i = 0; i < n; i++) {
    const captcha = i === 0 ? undefined : await solvedCaptcha(c, "login");
    answers.push(asError(await passwordLogin(c, account, "Wrong-pass1", captcha)));
  }
  return answers;
}

describe("logging in by password", () => {
  it.each([
    ["the phone number", handler.phone],
    ["the login name", handler.loginName],
    ["the ID number", handler.idNumber],
    ["the ID number typed in lower case", handler.idNumber.toLowerCase()],
  ])("lets the handler in by %s, with their identity masked", async (_by, account) => {
    const c = await FakeClient.connect(hub.url);
    const r = await passwordLogin(c, account, handler.password);
    expect(r).toMatchObject({
      type: "session",
      method: "password",
      handler: { maskedName: "*芳", maskedIdNumber: maskIdNumber(handler.idNumber), idType: "居民身份证" },
    });
    if (r.type !== "session") throw new Error("no session");
    expect(r.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Date.parse(r.expiresAt) - clock.now()).toBe(8 * 3600_000);
    expect(Date.parse(r.idleExpiresAt) - clock.now()).toBe(30 * 60_000);
    const [row] = await hub.db.query<{ kind: string; login_method: string; token_hash: string }>(
      "SELECT kind, login_method, token_hash FROM sessions",
    );
    expect(row).toMatchObject({ kind: "client", login_method: "password" });
    expect(row?.token_hash).not.toBe(r.token); // stored hashed
    await c.close();
  });

  it("refuses a passport holder's ID number as the account, and lets them in by login name or phone", async () => {
    const c = await FakeClient.connect(hub.url);
    const r = asError(await passwordLogin(c, passportHolder.idNumber, passportHolder.password));
    expect(r).toMatchObject({
      code: "ID_NUMBER_LOGIN_NOT_ALLOWED",
      message: "该证件类型请使用登录名或手机号码登录",
    });
    expect(await passwordLogin(c, passportHolder.loginName, passportHolder.password)).toMatchObject({
      type: "session",
      handler: { idType: "外国护照", maskedName: "*********H" },
    });
    await c.close();
  });

  it("asks for a captcha after a wrong password, refuses a wrong captcha without spending a try, then lets in", async () => {
    const c = await FakeClient.connect(hub.url);
    expect(asError(await passwordLogin(c, handler.phone, "Wrong-pass1"))).toMatchObject({
      code: "ACCOUNT_OR_PASSWORD_WRONG",
      message: "账号或密码错误",
      captchaRequired: true,
      attemptsLeft: 4,
    });
    // No captcha with the next try: refused before the password is looked at.
    expect(asError(await passwordLogin(c, handler.phone, handler.password))).toMatchObject({
      code: "CAPTCHA_REQUIRED",
      captchaRequired: true,
      attemptsLeft: 4,
    });
    const image = await c.request({ type: "captcha.new", purpose: "login" });
    expect(image).toMatchObject({ type: "captcha", purpose: "login" });
    if (image.type !== "captcha") throw new Error("no captcha");
    expect(image.image).toMatch(/^data:image\/png;base64,/);
    expect(Date.parse(image.expiresAt) - clock.now()).toBe(5 * 60_000);
    expect(
      asError(await passwordLogin(c, handler.phone, handler.password, { id: image.id, answer: "WRNG" })),
    ).toMatchObject({ code: "CAPTCHA_WRONG", captchaRequired: true });
    // The captcha was used up by the wrong answer, and no try was spent on it.
    const again = asError(
      await passwordLogin(c, handler.phone, "Wrong-pass2", await solvedCaptcha(c, "login", "k7mx")),
    );
    expect(again).toMatchObject({ code: "ACCOUNT_OR_PASSWORD_WRONG", attemptsLeft: 3 });
    const r = await passwordLogin(c, handler.phone, handler.password, await solvedCaptcha(c, "login"));
    expect(r.type).toBe("session");
    await c.close();
  });

  it("refuses a captcha past its 5 minutes, and one used already", async () => {
    const c = await FakeClient.connect(hub.url);
    await passwordLogin(c, handler.phone, "Wrong-pass1");
    const stale = await solvedCaptcha(c, "login");
    clock.advance(5 * 60_000);
    expect(asError(await passwordLogin(c, handler.phone, handler.password, stale)).code).toBe(
      "CAPTCHA_EXPIRED",
    );
    const used = await solvedCaptcha(c, "login");
    await passwordLogin(c, handler.phone, "Wrong-pass1", used);
    expect(asError(await passwordLogin(c, handler.phone, handler.password, used)).code).toBe(
      "CAPTCHA_EXPIRED",
    );
    await c.close();
  });

  it("locks the account at the 5th wrong password; the right one is then refused with the minutes left", async () => {
    const c = await FakeClient.connect(hub.url);
    const answers = await wrongTimes(c, handler.loginName, 5);
    expect(answers.map((a) => a.code)).toEqual([
      ...Array(4).fill("ACCOUNT_OR_PASSWORD_WRONG"),
      "ACCOUNT_LOCKED",
    ]);
    expect(answers.slice(0, 4).map((a) => a.attemptsLeft)).toEqual([4, 3, 2, 1]);
    expect(answers[4]).toMatchObject({
      message: "密码错误超过5次（含），账号已被锁定，请在120分钟后再试，或通过【忘记密码】解锁账号",
      minutesLeft: 120,
      links: [{ label: "忘记密码", url: `${hub.publicUrl}/web/forgot-password` }],
    });

    clock.advance(30 * 60_000);
    // Locked for every way of typing the account, with or without a captcha.
    for (const account of [handler.phone, handler.idNumber, handler.loginName]) {
      const r = asError(await passwordLogin(c, account, handler.password, await solvedCaptcha(c, "login")));
      expect(r).toMatchObject({ code: "ACCOUNT_LOCKED", minutesLeft: 90 });
    }
    clock.advance(90 * 60_000);
    expect((await passwordLogin(c, handler.phone, handler.password)).type).toBe("session");
    await c.close();
  });

  it("resets the count on a success", async () => {
    const c = await FakeClient.connect(hub.url);
    await wrongTimes(c, handler.phone, 3);
    expect(
      (await passwordLogin(c, handler.phone, handler.password, await solvedCaptcha(c, "login"))).type,
    ).toBe("session");
    await c.close();
    const d = await FakeClient.connect(hub.url);
    expect(asError(await passwordLogin(d, handler.phone, "Wrong-pass1"))).toMatchObject({ attemptsLeft: 4 });
    await d.close();
  });

  it("answers an unknown account exactly like a wrong password, and locks it the same way", async () => {
    const known = await FakeClient.connect(hub.url);
    const unknown = await FakeClient.connect(hub.url);
    const a = await wrongTimes(known, handler.phone, 5);
    const b = await wrongTimes(unknown, "13999998888", 5);
    const strip = ({ rid: _rid, lockedUntil: _l, ...rest }: Record<string, unknown>) => rest;
    expect(b.map(strip)).toEqual(a.map(strip));
    expect(
      asError(await passwordLogin(unknown, "13999998888", "whatever", await solvedCaptcha(unknown, "login"))),
    ).toMatchObject({ code: "ACCOUNT_LOCKED", minutesLeft: 120 });
    await Promise.all([known.close(), unknown.close()]);
  });

  it("refuses a second login on a socket that is logged in already", async () => {
    const c = await FakeClient.connect(hub.url);
    expect((await passwordLogin(c, handler.phone, handler.password)).type).toBe("session");
    expect(asError(await passwordLogin(c, handler.phone, handler.password)).code).toBe("WRONG_STEP");
    await c.close();
  });

  it("shares one lock with the phone app: three wrong in the app and two on the client lock both", async () => {
    for (let i = 0; i < 3; i++) {
      const captcha = i === 0 ? undefined : await appCaptcha();
      const r = await fetch(`${hub.url}/api/app/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          account: handler.phone,
          password: "Wrong-pass1",
          ...(captcha ? { captcha } : {}),
        }),
      });
      expect(r.status).toBe(401);
    }
    const c = await FakeClient.connect(hub.url);
    // The app's wrong tries count here too: a captcha is due at once.
    expect(asError(await passwordLogin(c, handler.loginName, "Wrong-pass1")).code).toBe("CAPTCHA_REQUIRED");
    const r = asError(
      await passwordLogin(c, handler.loginName, "Wrong-pass1", await solvedCaptcha(c, "login")),
    );
    expect(r).toMatchObject({ code: "ACCOUNT_OR_PASSWORD_WRONG", attemptsLeft: 1 });
    expect(
      asError(await passwordLogin(c, handler.idNumber, "Wrong-pass1", await solvedCaptcha(c, "login"))).code,
    ).toBe("ACCOUNT_LOCKED");
    await expect(AppUser.login(hub.url, handler)).rejects.toThrow(/423/);
    await c.close();
  });
});

async function appCaptcha() {
  const res = await fetch(`${hub.url}/api/app/captcha`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ purpose: "login" }),
  });
  const body = (await res.json()) as { id: string };
  return { id: body.id, answer: "K7MX" };
}

describe("abuse of the login step", () => {
  it("limits the captcha images one socket may ask for per minute", async () => {
    const limited = await handshakeHub(
      { NODE_ID: "captcha-limit" },
      { db: hub.db, clock, limits: { captchasPerConnectionPerMinute: 3 } },
    );
    const c = await FakeClient.connect(limited.url);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const r = await c.request({ type: "captcha.new", purpose: "login" });
      answers.push(r.type === "error" ? r.code : r.type);
    }
    expect(answers).toEqual(["captcha", "captcha", "captcha", "RATE_LIMITED"]);
    clock.advance(60_000);
    expect((await c.request({ type: "captcha.new", purpose: "login" })).type).toBe("captcha");
    await c.close();
    await limited.close();
  });

  it("answers a login with a malformed field with BAD_MESSAGE, naming it", async () => {
    const c = await FakeClient.connect(hub.url);
    c.send({ type: "login.password", rid: 7, account: handler.phone, password: "x".repeat(65) });
    expect(await c.next("error")).toMatchObject({ code: "BAD_MESSAGE", path: "password" });
    await c.close();
  });
});

describe("the record of logins", () => {
  it("writes every try to the audit log and the event stream, masked, never the password", async () => {
    const seen: string[] = [];
    const stop = hub.events.watch((e) => seen.push(JSON.stringify(e)));
    const c = await FakeClient.connect(hub.url);
    await passwordLogin(c, handler.phone, "Wrong-pass1");
    await passwordLogin(c, "13999998888", "Other-pass1");
    await passwordLogin(c, handler.phone, handler.password, await solvedCaptcha(c, "login"));
    await c.close();
    stop();
    const rows = await hub.db.query<{ action: string; subject: string; outcome: string; detail: unknown }>(
      "SELECT action, subject, outcome, detail FROM audit_log WHERE action = 'login.password' ORDER BY id",
    );
    expect(rows.map((r) => [r.subject, r.outcome])).toEqual([
      ["139****0001", "ACCOUNT_OR_PASSWORD_WRONG"],
      ["139****8888", "ACCOUNT_OR_PASSWORD_WRONG"],
      ["139****0001", "ok"],
    ]);
    expect(rows.map((r) => (r.detail as { verified: boolean }).verified)).toEqual([true, true, true]);
    const all = JSON.stringify(rows) + seen.join("\n");
    for (const secret of [
      handler.phone,
      handler.password,
      "Wrong-pass1",
      "Other-pass1",
      handler.idNumber,
      "王芳",
    ])
      expect(all).not.toContain(secret);
    const kinds = seen.map((s) => JSON.parse(s).kind);
    expect(kinds).toEqual(expect.arrayContaining(["login.refused", "login.succeeded"]));
  });
});

describe("the lock across a restart", () => {
  it("still refuses the right password after the hub restarts on the same embedded store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shiming-lock-"));
    const first = await handshakeHub({ DATA_DIR: dir, NODE_ID: "before" });
    await seedPerson(first.db, handler);
    const c = await FakeClient.connect(first.url);
    const answers = await wrongTimes(c, handler.phone, 5);
    expect(answers.at(-1)?.code).toBe("ACCOUNT_LOCKED");
    await first.close();

    const second = await handshakeHub({ DATA_DIR: dir, NODE_ID: "after" });
    const d = await FakeClient.connect(second.url);
    expect(asError(await passwordLogin(d, handler.phone, handler.password))).toMatchObject({
      code: "ACCOUNT_LOCKED",
      minutesLeft: expect.any(Number),
    });
    await d.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
