import { describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import type { ManualClock } from "../../../server/kernel/clock";
import {
  AppApiError,
  AppLogin,
  AuthorizationList,
  AuthorizationView,
  CaptchaImage,
  DeclarationSmsSent,
  Me,
} from "../../../shared/api/app";
import { maskIdNumber } from "../../../shared/mask";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { hubSuite } from "../../support/hub-suite";
import {
  ACME,
  AppUser,
  api,
  BETA,
  CAPTCHA_TEXT,
  financeManager,
  handler,
  handshakeHub,
  LOCAL,
  lastSmsCode,
  legalRep,
  passportHolder,
  seedPerson,
} from "../../support/world";

// The phone app's and the portal's API (/api/app, shapes in shared/api/app.ts): login with the client's
// rules, who is logged in and what they are to each company, and 「企业办税权限」 — 办税授权 by the legal
// representative, 重置申报密码 by the legal representative or the finance manager — with every refusal.

let hub: Hub;
let clock: ManualClock;

hubSuite("app-api", { limits: { appLoginsPerIpPerMinute: 1000 } }, { companies: true, bound: true }, (s) => {
  ({ hub, clock } = s);
});

const login = (body: unknown) => api(hub.url, "POST", "/api/app/login", body);
const grantBody = (p = handler) => ({ name: p.name, idType: p.idType, idNumber: p.idNumber });
const authorizations = (taxId = ACME.taxId) => `/api/app/companies/${taxId}/authorizations`;

describe("POST /api/app/captcha", () => {
  it("draws a captcha for the login or the declaration password, and nothing else", async () => {
    const r = await api(hub.url, "POST", "/api/app/captcha", { purpose: "login" });
    expect(r.status).toBe(200);
    expect(CaptchaImage.parse(r.body).image).toMatch(/^data:image\/png;base64,/);
    expect(Date.parse(r.body.expiresAt) - clock.now()).toBe(5 * 60_000);
    const bad = await api(hub.url, "POST", "/api/app/captcha", { purpose: "spam" });
    expect(bad).toMatchObject({ status: 400, body: { code: "BAD_MESSAGE", path: "purpose" } });
  });
});

describe("POST /api/app/login", () => {
  it("answers a token, its end and the person masked", async () => {
    const r = await login({ account: handler.loginName, password: handler.password });
    expect(r.status).toBe(200);
    const body = AppLogin.parse(r.body);
    expect(body.person).toEqual({
      name: handler.name,
      maskedName: "*芳",
      maskedIdNumber: maskIdNumber(handler.idNumber),
      idType: "居民身份证",
    });
    expect(Date.parse(body.expiresAt) - clock.now()).toBe(8 * 3600_000);
    expect(await hub.db.query("SELECT kind FROM sessions")).toEqual([{ kind: "app" }]);
  });

  it("makes a portal session when the portal logs in", async () => {
    const r = await login({ account: handler.phone, password: handler.password, channel: "portal" });
    expect(r.status).toBe(200);
    expect(await hub.db.query("SELECT kind FROM sessions")).toEqual([{ kind: "portal" }]);
    expect((await new AppUser(hub.url, r.body.token).call("GET", "/api/app/me")).status).toBe(200);
  });

  it("answers a wrong password with the captcha and tries left, and a lock with the minutes and the link", async () => {
    const wrong = await login({ account: handler.phone, password: "Wrong-pass1" });
    expect(wrong).toMatchObject({
      status: 401,
      body: { code: "ACCOUNT_OR_PASSWORD_WRONG", captchaRequired: true, attemptsLeft: 4 },
    });
    AppApiError.parse(wrong.body);
    expect(await login({ account: handler.phone, password: handler.password })).toMatchObject({
      status: 401,
      body: { code: "CAPTCHA_REQUIRED" },
    });
    let last = wrong;
    for (let i = 0; i < 4; i++) {
      const image = await api(hub.url, "POST", "/api/app/captcha", { purpose: "login" });
      last = await login({
        account: handler.phone,
        password: "Wrong-pass1",
        captcha: { id: image.body.id, answer: CAPTCHA_TEXT.toLowerCase() },
      });
    }
    expect(last).toMatchObject({
      status: 423,
      body: {
        code: "ACCOUNT_LOCKED",
        minutesLeft: 120,
        links: [{ label: "忘记密码", url: `${hub.publicUrl}/web/forgot-password` }],
      },
    });
    AppApiError.parse(last.body);
  });

  it("refuses an ID number for a passport holder, and a malformed body", async () => {
    await seedPerson(hub.db, passportHolder);
    expect(
      await login({ account: passportHolder.idNumber, password: passportHolder.password }),
    ).toMatchObject({
      status: 400,
      body: { code: "ID_NUMBER_LOGIN_NOT_ALLOWED" },
    });
    expect(await login({ account: handler.phone })).toMatchObject({
      status: 400,
      body: { code: "BAD_MESSAGE", path: "password" },
    });
  });

  it("limits logins per address", async () => {
    const limited = await handshakeHub(
      { NODE_ID: "app-limited" },
      { db: hub.db, clock, limits: { appLoginsPerIpPerMinute: 2 } },
    );
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await api(limited.url, "POST", "/api/app/login", { account: "x1", password: "y" })).status,
      );
    expect(statuses).toEqual([401, 401, 429]);
    await limited.close();
  });
});

describe("the app session", () => {
  it("needs a bearer token; logout ends it; it ends after 30 idle minutes too", async () => {
    expect(await api(hub.url, "GET", "/api/app/me")).toMatchObject({
      status: 401,
      body: { code: "NOT_LOGGED_IN" },
    });
    expect(await api(hub.url, "GET", "/api/app/me", undefined, "B".repeat(43))).toMatchObject({
      status: 401,
      body: { code: "NOT_LOGGED_IN" },
    });
    const user = await AppUser.login(hub.url, handler);
    expect((await user.call("POST", "/api/app/logout")).body).toEqual({ ok: true });
    expect(await user.call("GET", "/api/app/me")).toMatchObject({
      status: 401,
      body: { code: "SESSION_EXPIRED" },
    });

    const idle = await AppUser.login(hub.url, handler);
    clock.advance(30 * 60_000);
    expect(await idle.call("GET", "/api/app/me")).toMatchObject({
      status: 401,
      body: { code: "SESSION_EXPIRED" },
    });
    expect(await hub.db.query("SELECT end_reason FROM sessions ORDER BY created_at")).toEqual([
      { end_reason: "logout" },
      { end_reason: "expired" },
    ]);
  });

  it("scans and confirms a QR with it; an ended one cannot scan", async () => {
    const user = await AppUser.login(hub.url, handler);
    const client = await FakeClient.connect(hub.url);
    const t = await client.issue();
    const phone = new FakePhone(hub.url, user.token);
    expect((await phone.scan(t.ticketId)).status).toBe(200);
    expect((await phone.confirm(t.ticketId)).status).toBe(200);
    expect((await client.completeLogin(t)).handler.maskedName).toBe("*芳");
    await user.call("POST", "/api/app/logout");
    const next = await FakeClient.connect(hub.url);
    const t2 = await next.issue();
    expect(await phone.view(t2.ticketId)).toMatchObject({
      status: 401,
      body: { code: "PHONE_LOGIN_REQUIRED" },
    });
    await Promise.all([client.close(), next.close()]);
  });
});

describe("GET /api/app/me", () => {
  it("names each company the person is something to, with every role", async () => {
    const legal = await AppUser.login(hub.url, legalRep);
    await legal.call("POST", authorizations(BETA.taxId), grantBody());
    const meOf = async (p = handler) =>
      Me.parse((await (await AppUser.login(hub.url, p)).call("GET", "/api/app/me")).body);

    expect(await meOf(handler)).toEqual({
      person: {
        name: handler.name,
        maskedName: "*芳",
        maskedIdNumber: maskIdNumber(handler.idNumber),
        idType: "居民身份证",
      },
      // By name: 福州乙… (U+4E59) before 福州甲… (U+7532).
      companies: [
        { taxId: BETA.taxId, name: BETA.name, roles: ["authorized"] },
        { taxId: ACME.taxId, name: ACME.name, roles: ["handler"] },
      ],
    });
    const legalMe = await meOf(legalRep);
    expect(legalMe.companies.map((c) => c.roles)).toEqual([["legal_rep"], ["legal_rep"]]);
    expect((await meOf(financeManager)).companies).toEqual([
      { taxId: ACME.taxId, name: ACME.name, roles: ["finance_manager"] },
    ]);
  });
});

describe("办税授权 (the legal representative only)", () => {
  it("grants, lists (masked) and revokes", async () => {
    const legal = await AppUser.login(hub.url, legalRep);
    expect(await legal.call("GET", authorizations())).toEqual({ status: 200, body: [] });
    const granted = await legal.call("POST", authorizations(), grantBody());
    expect(granted.status).toBe(201);
    const view = AuthorizationView.parse(granted.body);
    expect(view).toMatchObject({ maskedName: "*芳", maskedIdNumber: maskIdNumber(handler.idNumber) });
    expect(view.grantedAt).toBe(new Date(clock.now()).toISOString());
    expect(AuthorizationList.parse((await legal.call("GET", authorizations())).body)).toEqual([view]);
    expect(await legal.call("POST", authorizations(), grantBody())).toMatchObject({
      status: 409,
      body: { code: "AUTHORIZATION_EXISTS" },
    });

    expect(await legal.call("DELETE", `${authorizations()}/${view.id}`)).toEqual({
      status: 200,
      body: { sessionsEnded: 0 },
    });
    expect((await legal.call("GET", authorizations())).body).toEqual([]);
    expect(await legal.call("DELETE", `${authorizations()}/${view.id}`)).toMatchObject({
      status: 404,
      body: { code: "AUTHORIZATION_NOT_FOUND" },
    });
    expect(await legal.call("DELETE", `${authorizations()}/not-a-uuid`)).toMatchObject({ status: 404 });
    const audit = await hub.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'authorization.%' ORDER BY id",
    );
    expect(audit.map((r) => r.action)).toEqual(["authorization.grant", "authorization.revoke"]);
  });

  it("names the handler exactly as registered", async () => {
    const legal = await AppUser.login(hub.url, legalRep);
    expect(await legal.call("POST", authorizations(), { ...grantBody(), name: "王方" })).toMatchObject({
      status: 404,
      body: { code: "HANDLER_NOT_FOUND" },
    });
    const badCheck = `${handler.idNumber.slice(0, 17)}${handler.idNumber.endsWith("1") ? "2" : "1"}`;
    expect(await legal.call("POST", authorizations(), { ...grantBody(), idNumber: badCheck })).toMatchObject({
      status: 400,
      body: { code: "ID_NUMBER_CHECKSUM", path: "idNumber" },
    });
    expect(await legal.call("POST", authorizations(), { ...grantBody(), idType: "驾驶证" })).toMatchObject({
      status: 400,
      body: { code: "BAD_MESSAGE", path: "idType" },
    });
  });

  it.each([
    ["a handler", handler],
    ["the finance manager", financeManager],
  ])("refuses %s: only the legal representative grants, lists or revokes", async (_who, p) => {
    const user = await AppUser.login(hub.url, p);
    const refused = {
      status: 403,
      body: { code: "NOT_LEGAL_REP", message: "只有税务登记的法定代表人可以进行办税授权" },
    };
    expect(await user.call("POST", authorizations(), grantBody(financeManager))).toMatchObject(refused);
    expect(await user.call("GET", authorizations())).toMatchObject(refused);
    const legal = await AppUser.login(hub.url, legalRep);
    const { body } = await legal.call("POST", authorizations(), grantBody(financeManager));
    expect(await user.call("DELETE", `${authorizations()}/${body.id}`)).toMatchObject(refused);
  });

  it("refuses an unknown company or a malformed taxpayer ID", async () => {
    const legal = await AppUser.login(hub.url, legalRep);
    expect(await legal.call("GET", authorizations(LOCAL.taxId))).toMatchObject({
      status: 404,
      body: { code: "COMPANY_NOT_FOUND" },
    });
    expect(await legal.call("GET", "/api/app/companies/123/authorizations")).toMatchObject({
      status: 400,
      body: { code: "TAX_ID_INVALID" },
    });
  });
});

describe("重置申报密码 (the legal representative or the finance manager)", () => {
  const sms = (u: AppUser, taxId = ACME.taxId) =>
    u.call("POST", `/api/app/companies/${taxId}/declaration-password/sms`);
  const reset = (u: AppUser, body: Record<string, unknown>, taxId = ACME.taxId) =>
    u.call("POST", `/api/app/companies/${taxId}/declaration-password`, body);

  it("sends the SMS to the caller's own phone and sets the password typed twice", async () => {
    const fin = await AppUser.login(hub.url, financeManager);
    const sent = await sms(fin);
    expect(sent.status).toBe(200);
    expect(DeclarationSmsSent.parse(sent.body).maskedPhone).toBe("139****0003");
    const code = await lastSmsCode(hub);
    expect(
      await reset(fin, { password: "NewPass2024", confirm: "NewPass2025", smsCode: code }),
    ).toMatchObject({
      status: 400,
      body: { code: "DECLARATION_PASSWORD_MISMATCH", message: "两次输入的申报密码不一致" },
    });
    expect(await reset(fin, { password: "short", confirm: "short", smsCode: code })).toMatchObject({
      status: 400,
      body: { code: "DECLARATION_PASSWORD_FORMAT", path: "password" },
    });
    expect(
      await reset(fin, { password: "NewPass2024", confirm: "NewPass2024", smsCode: "000000" }),
    ).toMatchObject({
      status: 400,
      body: { code: "SMS_CODE_WRONG" },
    });
    expect(await reset(fin, { password: "NewPass2024", confirm: "NewPass2024", smsCode: code })).toEqual({
      status: 200,
      body: { wasLocked: false },
    });
    // The handler enters with the new one.
    const c = await FakeClient.connect(hub.url);
    await c.request({ type: "login.password", account: handler.phone, password: handler.password });
    expect(
      await c.request({ type: "declaration.verify", taxId: ACME.taxId, declarationPassword: "NewPass2024" }),
    ).toMatchObject({ type: "company.entered" });
    await c.close();
    const audit = await hub.db.query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_log WHERE action LIKE 'declaration.%' ORDER BY id",
    );
    expect(audit.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      "declaration.sms:ok",
      "declaration.reset:DECLARATION_PASSWORD_MISMATCH",
      "declaration.reset:DECLARATION_PASSWORD_FORMAT",
      "declaration.reset:SMS_CODE_WRONG",
      "declaration.reset:ok",
    ]);
  });

  it("refuses a handler, and a company the finance manager is not registered for", async () => {
    const user = await AppUser.login(hub.url, handler);
    const refused = { status: 403, body: { code: "NOT_LEGAL_REP_OR_FINANCE" } };
    expect(await sms(user)).toMatchObject(refused);
    expect(
      await reset(user, { password: "NewPass2024", confirm: "NewPass2024", smsCode: "123456" }),
    ).toMatchObject(refused);
    const fin = await AppUser.login(hub.url, financeManager);
    expect(await sms(fin, BETA.taxId)).toMatchObject(refused);
  });

  it("asks for a bound phone first when the caller has none", async () => {
    const legal = await AppUser.login(hub.url, legalRep);
    await hub.db.query("UPDATE people SET phone = '' WHERE login_name = $1", [legalRep.loginName]);
    expect(await sms(legal)).toMatchObject({
      status: 409,
      body: { code: "PHONE_NOT_BOUND", message: "您账户的手机号码尚未绑定，请先进入安全中心绑定手机" },
    });
  });
});
