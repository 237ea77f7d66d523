import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { ManualClock } from "../../../server/kernel/clock";
import { verifySecret } from "../../../server/people/passwords";
import { CLOSE, type ClientToHub } from "../../../shared/protocol";
import { FakeClient } from "../../support/fake-client";
import { hubSuite } from "../../support/hub-suite";
import {
  ACME,
  AppUser,
  asError,
  BETA,
  bind,
  financeManager,
  handler,
  handshakeHub,
  LOCAL,
  lastSmsCode,
  legalRep,
  loggedInClient,
  seedCompany,
  solvedCaptcha,
} from "../../support/world";
import { makeLeaf, makeRoot, sign } from "../../unit/company/ca/pki";

// seed 1.3 单位办税验证 over the real socket, one node: the list (one company, several), adding a company
// with its declaration password, the declaration password's captcha and lock (and its reset by the
// legal representative or finance manager), tax-handling authorization and its revocation, and CA
// before and after its cut-off.

let hub: Hub;
let clock: ManualClock;
let handlerId: string;

hubSuite("company", {}, { companies: true }, (s) => {
  ({ hub, clock, handlerId } = s);
});

/** The handler as the legal representative names them when granting 办税授权. */
const handlerIdentity = { name: handler.name, idType: handler.idType, idNumber: handler.idNumber };

const listOf = async (c: FakeClient) => {
  const r = await c.request({ type: "company.list" });
  if (r.type !== "company.list.result") throw new Error(`company.list answered ${JSON.stringify(r)}`);
  return r.companies;
};

describe("the company step before login", () => {
  it.each<[string, ClientToHub]>([
    ["the company list", { type: "company.list" }],
    [
      "adding a company",
      { type: "company.add", taxId: ACME.taxId, declarationPassword: ACME.declarationPassword },
    ],
    ["the declaration password", { type: "declaration.verify", taxId: ACME.taxId, declarationPassword: "x" }],
    ["an authorization", { type: "authorization.enter", taxId: ACME.taxId }],
    ["a CA challenge", { type: "ca.challenge", taxId: ACME.taxId }],
    ["切换单位", { type: "company.switch" }],
    ["退出", { type: "logout" }],
  ])("refuses %s with NOT_LOGGED_IN, and the socket stays open", async (_what, msg) => {
    const c = await FakeClient.connect(hub.url);
    expect(asError(await c.request(msg))).toMatchObject({ code: "NOT_LOGGED_IN", message: "请先登录" });
    expect((await c.request({ type: "ping" })).type).toBe("pong");
    await c.close();
  });
});

describe("the company list", () => {
  it("is empty the first time: the client shows 添加单位", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    expect(await listOf(client)).toEqual([]);
    await client.close();
  });

  it("has the one company a handler added (the client goes straight to its password)", async () => {
    await bind(hub.db, handlerId, ACME);
    const { client } = await loggedInClient(hub.url, handler);
    expect(await listOf(client)).toEqual([
      { taxId: ACME.taxId, name: ACME.name, access: "bound", ca: false },
    ]);
    await client.close();
  });

  it("has every bound and authorizing company when there are several", async () => {
    await bind(hub.db, handlerId, ACME);
    const legal = await AppUser.login(hub.url, legalRep);
    const granted = await legal.call(
      "POST",
      `/api/app/companies/${BETA.taxId}/authorizations`,
      handlerIdentity,
    );
    expect(granted.status).toBe(201);
    const { client } = await loggedInClient(hub.url, handler);
    expect(await listOf(client)).toEqual([
      { taxId: ACME.taxId, name: ACME.name, access: "bound", ca: false },
      { taxId: BETA.taxId, name: BETA.name, access: "authorized", ca: false },
    ]);
    await client.close();
  });
});

describe("adding a company (seed 1.3: taxpayer ID + declaration password)", () => {
  it("checks the taxpayer ID, and binds the company only once the declaration password was right", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    const add = (taxId: string, declarationPassword: string, captcha?: { id: string; answer: string }) =>
      client.request({ type: "company.add", taxId, declarationPassword, ...(captcha ? { captcha } : {}) });

    expect(asError(await add("91110105ABC", ACME.declarationPassword))).toMatchObject({
      code: "TAX_ID_INVALID",
      path: "taxId",
    });
    const badCheck = `${ACME.taxId.slice(0, 17)}${ACME.taxId.endsWith("1") ? "2" : "1"}`;
    expect(asError(await add(badCheck, ACME.declarationPassword)).code).toBe("TAX_ID_CHECKSUM");
    expect(asError(await add(LOCAL.taxId, ACME.declarationPassword)).code).toBe("COMPANY_NOT_FOUND");

    expect(asError(await add(ACME.taxId, "WrongPass99"))).toMatchObject({
      code: "DECLARATION_PASSWORD_WRONG",
      message: "申报密码错误",
      captchaRequired: true,
      attemptsLeft: 4,
    });
    expect(await hub.db.query("SELECT * FROM company_bindings")).toEqual([]);
    expect(asError(await add(ACME.taxId, ACME.declarationPassword)).code).toBe("CAPTCHA_REQUIRED");

    const ok = await add(ACME.taxId, ACME.declarationPassword, await solvedCaptcha(client, "declaration"));
    expect(ok).toMatchObject({
      type: "company.entered",
      taxId: ACME.taxId,
      name: ACME.name,
      via: "declaration_password",
    });
    expect(await hub.db.query("SELECT person_id, tax_id FROM company_bindings")).toEqual([
      { person_id: handlerId, tax_id: ACME.taxId },
    ]);
    const [row] = await hub.db.query("SELECT tax_id, company_via FROM sessions");
    expect(row).toEqual({ tax_id: ACME.taxId, company_via: "declaration_password" });
    await client.close();
  });

  it("refuses a declaration password that cannot be one, without counting it", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    const r = asError(
      await client.request({ type: "company.add", taxId: ACME.taxId, declarationPassword: "short" }),
    );
    expect(r).toMatchObject({ code: "DECLARATION_PASSWORD_FORMAT", path: "declarationPassword" });
    expect(await hub.db.query("SELECT * FROM lockouts WHERE subject_kind = 'declaration'")).toEqual([]);
    await client.close();
  });
});

describe("the declaration password", () => {
  it("refuses a company the handler has no link to", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    const r = asError(
      await client.request({
        type: "declaration.verify",
        taxId: ACME.taxId,
        declarationPassword: "Whatever123",
      }),
    );
    expect(r.code).toBe("COMPANY_NOT_LINKED");
    await client.close();
  });

  it("locks at the 5th wrong try, naming who can reset it; the legal representative's reset lifts it", async () => {
    await bind(hub.db, handlerId, ACME);
    const { client } = await loggedInClient(hub.url, handler);
    const codes: string[] = [];
    let last: ReturnType<typeof asError> | undefined;
    for (let i = 0; i < 5; i++) {
      const captcha = i === 0 ? {} : { captcha: await solvedCaptcha(client, "declaration") };
      last = asError(
        await client.request({
          type: "declaration.verify",
          taxId: ACME.taxId,
          declarationPassword: `Wrong${i}pass99`,
          ...captcha,
        }),
      );
      codes.push(last.code);
    }
    expect(codes).toEqual([...Array(4).fill("DECLARATION_PASSWORD_WRONG"), "DECLARATION_LOCKED"]);
    expect(last).toMatchObject({
      message: expect.stringContaining("法定代表人或财务经理"),
      minutesLeft: 120,
      links: [
        { label: "个人所得税WEB端", url: `${hub.publicUrl}/web/declaration-password` },
        { label: "个人所得税APP", url: `${hub.publicUrl}/app/download` },
      ],
    });
    // Locked even with the right password, and the list says until when.
    const right = asError(
      await client.request({
        type: "declaration.verify",
        taxId: ACME.taxId,
        declarationPassword: ACME.declarationPassword,
        captcha: await solvedCaptcha(client, "declaration"),
      }),
    );
    expect(right).toMatchObject({ code: "DECLARATION_LOCKED", minutesLeft: 120 });
    const [listed] = await listOf(client);
    expect(Date.parse(listed?.lockedUntil ?? "") - clock.now()).toBe(120 * 60_000);

    // 重置申报密码 by the legal representative in the app: SMS to their own phone, the new password twice.
    const legal = await AppUser.login(hub.url, legalRep);
    const sms = await legal.call("POST", `/api/app/companies/${ACME.taxId}/declaration-password/sms`);
    expect(sms).toMatchObject({ status: 200, body: { maskedPhone: "139****0002" } });
    const reset = await legal.call("POST", `/api/app/companies/${ACME.taxId}/declaration-password`, {
      password: "NewAcme2024",
      confirm: "NewAcme2024",
      smsCode: await lastSmsCode(hub),
    });
    expect(reset).toEqual({ status: 200, body: { wasLocked: true } });

    expect(await listOf(client)).toEqual([
      { taxId: ACME.taxId, name: ACME.name, access: "bound", ca: false },
    ]);
    const entered = await client.request({
      type: "declaration.verify",
      taxId: ACME.taxId,
      declarationPassword: "NewAcme2024",
    });
    expect(entered).toMatchObject({ type: "company.entered", via: "declaration_password" });
    await client.close();
  });
});

describe("切换单位", () => {
  it("goes back to the list, still logged in; a company step while in a company is the wrong step", async () => {
    await bind(hub.db, handlerId, ACME);
    await bind(hub.db, handlerId, BETA);
    const { client } = await loggedInClient(hub.url, handler);
    const enter = (c: typeof ACME) =>
      client.request({
        type: "declaration.verify",
        taxId: c.taxId,
        declarationPassword: c.declarationPassword,
      });
    expect((await enter(ACME)).type).toBe("company.entered");
    expect(asError(await enter(BETA)).code).toBe("WRONG_STEP");
    const list = await client.request({ type: "company.switch" });
    expect(list).toMatchObject({ type: "company.list.result" });
    if (list.type === "company.list.result") expect(list.companies).toHaveLength(2);
    expect(await hub.db.query("SELECT tax_id FROM sessions")).toEqual([{ tax_id: null }]);
    expect(await enter(BETA)).toMatchObject({ type: "company.entered", taxId: BETA.taxId });
    await client.close();
  });
});

describe("tax-handling authorization (办税授权)", () => {
  const grantHandler = async () => {
    const legal = await AppUser.login(hub.url, legalRep);
    const r = await legal.call("POST", `/api/app/companies/${ACME.taxId}/authorizations`, handlerIdentity);
    expect(r.status).toBe(201);
    return { legal, id: r.body.id as string };
  };

  it("lets an authorized handler enter with no declaration password", async () => {
    await grantHandler();
    const { client } = await loggedInClient(hub.url, handler);
    expect(await listOf(client)).toEqual([
      { taxId: ACME.taxId, name: ACME.name, access: "authorized", ca: false },
    ]);
    expect(asError(await client.request({ type: "authorization.enter", taxId: BETA.taxId })).code).toBe(
      "NOT_AUTHORIZED",
    );
    expect(await client.request({ type: "authorization.enter", taxId: ACME.taxId })).toMatchObject({
      type: "company.entered",
      taxId: ACME.taxId,
      via: "authorization",
    });
    await client.close();
  });

  it("ends the handler's live session on that company when revoked", async () => {
    const { legal, id } = await grantHandler();
    const { client } = await loggedInClient(hub.url, handler);
    await client.request({ type: "authorization.enter", taxId: ACME.taxId });
    const revoked = await legal.call("DELETE", `/api/app/companies/${ACME.taxId}/authorizations/${id}`);
    expect(revoked).toEqual({ status: 200, body: { sessionsEnded: 1 } });
    expect(await client.next("session.ended")).toMatchObject({
      reason: "authorization_revoked",
      message: "办税授权已被撤销，请重新登录",
    });
    expect((await client.closed).code).toBe(CLOSE.SESSION_ENDED.code);
    const { client: again } = await loggedInClient(hub.url, handler);
    expect(await listOf(again)).toEqual([]);
    await again.close();
  });

  it("is not offered before AUTHORIZATION_FROM", async () => {
    await grantHandler();
    const early = await handshakeHub(
      { NODE_ID: "early", AUTHORIZATION_FROM: "2030-01-01" },
      { db: hub.db, clock },
    );
    const c = await FakeClient.connect(early.url);
    expect(c.all("welcome")[0]).toMatchObject({ authorizationActive: false });
    const r = await c.request({ type: "login.password", account: handler.phone, password: handler.password });
    expect(r.type).toBe("session");
    expect(await listOf(c)).toEqual([]);
    expect(asError(await c.request({ type: "authorization.enter", taxId: ACME.taxId }))).toMatchObject({
      code: "AUTHORIZATION_NOT_ACTIVE",
      message: "办税授权功能尚未启用",
    });
    const legal = await AppUser.login(early.url, legalRep);
    const grant = await legal.call(
      "POST",
      `/api/app/companies/${BETA.taxId}/authorizations`,
      handlerIdentity,
    );
    expect(grant).toMatchObject({ status: 403, body: { code: "AUTHORIZATION_NOT_ACTIVE" } });
    await c.close();
    await early.close();
  });
});

describe("CA verification (seed 1.3.1, until CA_CUTOFF)", () => {
  let dir: string;
  let caHub: Hub;
  let caClock: ManualClock;
  let root: Awaited<ReturnType<typeof makeRoot>>;

  beforeAll(async () => {
    root = await makeRoot();
    dir = mkdtempSync(join(tmpdir(), "shiming-ca-"));
    writeFileSync(join(dir, "roots.pem"), root.pem);
    caClock = new ManualClock(Date.parse("2019-06-01T09:00:00+08:00"));
    caHub = await handshakeHub(
      { NODE_ID: "ca", CA_ROOTS_FILE: join(dir, "roots.pem") },
      { db: hub.db, clock: caClock },
    );
  });
  afterAll(async () => {
    await caHub.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await seedCompany(hub.db, LOCAL, { local: true });
    await bind(hub.db, handlerId, LOCAL);
    await bind(hub.db, handlerId, ACME);
  });

  it("enters a local company by signing the hub's nonce with its certificate", async () => {
    const leaf = await makeLeaf(root, { taxIdValue: LOCAL.taxId });
    const { client } = await loggedInClient(caHub.url, handler);
    expect(client.all("welcome")[0]).toMatchObject({ caOffered: true, authorizationActive: false });
    const challenge = await client.request({ type: "ca.challenge", taxId: LOCAL.taxId });
    if (challenge.type !== "ca.challenge.result") throw new Error(JSON.stringify(challenge));
    const signature = await sign(leaf.keys, challenge.nonce);
    const r = await client.request({
      type: "ca.verify",
      taxId: LOCAL.taxId,
      certificate: `${leaf.pem}\n${root.pem}`,
      signature,
    });
    expect(r).toMatchObject({ type: "company.entered", taxId: LOCAL.taxId, via: "ca" });
    await client.close();
  });

  it("refuses another company's certificate, a company that is not local, and a reused nonce", async () => {
    const other = await makeLeaf(root, { taxIdValue: ACME.taxId });
    const { client } = await loggedInClient(caHub.url, handler);
    expect(asError(await client.request({ type: "ca.challenge", taxId: ACME.taxId })).code).toBe(
      "CA_NOT_LOCAL",
    );
    const challenge = await client.request({ type: "ca.challenge", taxId: LOCAL.taxId });
    if (challenge.type !== "ca.challenge.result") throw new Error(JSON.stringify(challenge));
    const answer = {
      type: "ca.verify" as const,
      taxId: LOCAL.taxId,
      certificate: other.pem,
      signature: await sign(other.keys, challenge.nonce),
    };
    expect(asError(await client.request(answer)).code).toBe("CA_TAX_ID_MISMATCH");
    expect(asError(await client.request(answer)).code).toBe("CA_CHALLENGE_EXPIRED");
    await client.close();
  });

  it("lists CA for the 本市 company only, and a socket opened before the cut-off loses it after", async () => {
    caClock.advance(Date.parse("2019-12-31T23:59:30+08:00") - caClock.now());
    const { client } = await loggedInClient(caHub.url, handler);
    expect(client.all("welcome")[0]).toMatchObject({ caOffered: true });
    const ca = async () => Object.fromEntries((await listOf(client)).map((c) => [c.taxId, c.ca]));
    expect(await ca()).toEqual({ [LOCAL.taxId]: true, [ACME.taxId]: false });
    // The same socket, still logged in, at the cut-off (Beijing midnight).
    caClock.advance(30_000);
    expect(await ca()).toEqual({ [LOCAL.taxId]: false, [ACME.taxId]: false });
    expect(asError(await client.request({ type: "ca.challenge", taxId: LOCAL.taxId })).code).toBe(
      "CA_NOT_OFFERED",
    );
    await client.close();
  });

  it("is no longer offered after the cut-off: welcome says so and the hub refuses it", async () => {
    caClock.advance(Date.parse("2020-01-01T00:00:00+08:00") - caClock.now());
    const { client } = await loggedInClient(caHub.url, handler);
    expect(client.all("welcome")[0]).toMatchObject({ caOffered: false, authorizationActive: true });
    expect(asError(await client.request({ type: "ca.challenge", taxId: LOCAL.taxId }))).toMatchObject({
      code: "CA_NOT_OFFERED",
      message: "扣缴客户端已不再支持以CA方式登录，请使用申报密码或办税授权",
    });
    await client.close();
  });

  it("is not offered at all without a configured CA root", async () => {
    const before = new ManualClock(Date.parse("2019-06-01T09:00:00+08:00"));
    const noRoots = await handshakeHub({ NODE_ID: "no-roots" }, { db: hub.db, clock: before });
    const { client } = await loggedInClient(noRoots.url, handler);
    expect(client.all("welcome")[0]).toMatchObject({ caOffered: false });
    expect((await listOf(client)).every((c) => !c.ca)).toBe(true);
    expect(asError(await client.request({ type: "ca.challenge", taxId: LOCAL.taxId })).code).toBe(
      "CA_NOT_OFFERED",
    );
    await client.close();
    await noRoots.close();
  });
});

describe("the declaration password reset stores a new hash", () => {
  it("by the finance manager, who may reset it", async () => {
    const fin = await AppUser.login(hub.url, financeManager);
    expect((await fin.call("POST", `/api/app/companies/${ACME.taxId}/declaration-password/sms`)).status).toBe(
      200,
    );
    const r = await fin.call("POST", `/api/app/companies/${ACME.taxId}/declaration-password`, {
      password: "FinReset2024",
      confirm: "FinReset2024",
      smsCode: await lastSmsCode(hub),
    });
    expect(r).toEqual({ status: 200, body: { wasLocked: false } });
    const [row] = await hub.db.query<{ declaration_password_hash: string }>(
      "SELECT declaration_password_hash FROM companies WHERE tax_id = $1",
      [ACME.taxId],
    );
    expect(await verifySecret(row?.declaration_password_hash ?? null, "FinReset2024")).toBe(true);
  });
});
