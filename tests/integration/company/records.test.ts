import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { ManualClock } from "../../../server/kernel/clock";
import { writeAudit } from "../../../server/store/audit";
import { CompanyRecords } from "../../../shared/api/app";
import { maskIdNumber } from "../../../shared/mask";
import { FakeClient } from "../../support/fake-client";
import {
  ACME,
  AppUser,
  asError,
  BETA,
  bind,
  emptyStore,
  financeManager,
  handler,
  handshakeHub,
  legalRep,
  passwordLogin,
  seedCompany,
  seedPerson,
  solvedCaptcha,
} from "../../support/world";

// 办税记录 (GET /api/app/companies/:taxId/records): who entered the company on a client and how, from
// which address and region, and the wrong declaration passwords typed for it — newest first, a page at
// a time, for the company's legal representative and finance manager only. The records are what the
// real socket steps wrote; the client's address is the one the trusted proxy in front forwarded.

let hub: Hub;
let clock: ManualClock;
let handlerId: string;

beforeAll(async () => {
  clock = new ManualClock(Date.parse("2024-03-01T09:00:00+08:00"));
  hub = await handshakeHub({ NODE_ID: "records", TRUST_PROXY: "loopback" }, { clock });
});
afterAll(() => hub.close());
beforeEach(async () => {
  await emptyStore(hub.db);
  handlerId = await seedPerson(hub.db, handler);
  await seedPerson(hub.db, legalRep);
  await seedPerson(hub.db, financeManager);
  await seedCompany(hub.db, ACME, { finance: financeManager });
  await seedCompany(hub.db, BETA);
  await bind(hub.db, handlerId, ACME);
});

const records = (taxId = ACME.taxId, query = "") => `/api/app/companies/${taxId}/records${query}`;

/** The handler's client, behind a proxy that says it comes from `ip`, logged in by password. */
async function clientFrom(ip: string): Promise<FakeClient> {
  const client = await FakeClient.connect(hub.url, { headers: { "x-forwarded-for": ip } });
  const r = await passwordLogin(client, handler.loginName, handler.password);
  if (r.type !== "session") throw new Error(`login answered ${JSON.stringify(r)}`);
  return client;
}

describe("办税记录", () => {
  it("lists entries by declaration password and by authorization, and the wrong tries, newest first", async () => {
    // 09:00 Beijing: a wrong declaration password from Shenzhen, a minute later the right one.
    const shenzhen = await clientFrom("113.118.113.77");
    const wrong = await shenzhen.request({
      type: "declaration.verify",
      taxId: ACME.taxId,
      declarationPassword: "Wrong2024pass",
    });
    expect(asError(wrong).code).toBe("DECLARATION_PASSWORD_WRONG");
    clock.advance(60_000);
    const entered = await shenzhen.request({
      type: "declaration.verify",
      taxId: ACME.taxId,
      declarationPassword: ACME.declarationPassword,
      captcha: await solvedCaptcha(shenzhen, "declaration"),
    });
    expect(entered).toMatchObject({ type: "company.entered", via: "declaration_password" });
    await shenzhen.close();

    // The legal representative authorizes the handler; he enters from Nanjing with no password.
    const legal = await AppUser.login(hub.url, legalRep);
    const grant = { name: handler.name, idType: handler.idType, idNumber: handler.idNumber };
    expect((await legal.call("POST", `/api/app/companies/${ACME.taxId}/authorizations`, grant)).status).toBe(
      201,
    );
    clock.advance(60_000);
    const nanjing = await clientFrom("114.114.114.114");
    expect(await nanjing.request({ type: "authorization.enter", taxId: ACME.taxId })).toMatchObject({
      type: "company.entered",
      via: "authorization",
    });
    await nanjing.close();

    const r = await legal.call("GET", records());
    expect(r.status).toBe(200);
    const who = { maskedName: "*芳", idType: "居民身份证", maskedIdNumber: maskIdNumber(handler.idNumber) };
    expect(CompanyRecords.parse(r.body)).toEqual({
      records: [
        {
          id: expect.any(String),
          kind: "entered",
          at: "2024-03-01T01:02:00.000Z",
          who,
          login: "password",
          via: "authorization",
          locked: false,
          address: "114.114.114.*",
          region: "江苏省 南京市",
        },
        {
          id: expect.any(String),
          kind: "entered",
          at: "2024-03-01T01:01:00.000Z",
          who,
          login: "password",
          via: "declaration_password",
          locked: false,
          address: "113.118.113.*",
          region: "广东省 深圳市",
        },
        {
          id: expect.any(String),
          kind: "password_wrong",
          at: "2024-03-01T01:00:00.000Z",
          who,
          login: null,
          via: null,
          locked: false,
          address: "113.118.113.*",
          region: "广东省 深圳市",
        },
      ],
      next: null,
    });
    // Never the whole address, nor a whole ID number.
    expect(JSON.stringify(r.body)).not.toContain("114.114.114.114");
    expect(JSON.stringify(r.body)).not.toContain(handler.idNumber);
    // The finance manager reads the same; the other company has none of them.
    expect((await (await AppUser.login(hub.url, financeManager)).call("GET", records())).body).toEqual(
      r.body,
    );
    expect((await legal.call("GET", records(BETA.taxId))).body).toEqual({ records: [], next: null });
  });

  it("counts the try that locks the declaration password, not the ones refused while it is locked", async () => {
    const client = await clientFrom("127.0.0.1");
    const tryWrong = async (captcha: boolean) =>
      asError(
        await client.request({
          type: "declaration.verify",
          taxId: ACME.taxId,
          declarationPassword: "Wrong2024pass",
          ...(captcha ? { captcha: await solvedCaptcha(client, "declaration") } : {}),
        }),
      ).code;
    const codes = [await tryWrong(false)];
    for (let i = 0; i < 5; i++) codes.push(await tryWrong(true));
    expect(codes).toEqual([
      "DECLARATION_PASSWORD_WRONG",
      "DECLARATION_PASSWORD_WRONG",
      "DECLARATION_PASSWORD_WRONG",
      "DECLARATION_PASSWORD_WRONG",
      "DECLARATION_LOCKED",
      "DECLARATION_LOCKED",
    ]);
    await client.close();
    const body = CompanyRecords.parse(
      (await (await AppUser.login(hub.url, legalRep)).call("GET", records())).body,
    );
    expect(body.records.map((x) => [x.kind, x.locked, x.address, x.region])).toEqual([
      ["password_wrong", true, "127.0.0.*", "本机"],
      ...Array.from({ length: 4 }, () => ["password_wrong", false, "127.0.0.*", "本机"]),
    ]);
  });

  it("pages newest first with `next`, also through rows of the same moment", async () => {
    const base = clock.now();
    // 45 entries, three to each moment, written as the socket step writes them.
    for (let i = 0; i < 45; i++)
      await writeAudit(hub.db, {
        at: new Date(base + Math.floor(i / 3) * 1000),
        node: "records",
        actor: `person:${handlerId}`,
        action: "company.enter",
        subject: ACME.taxId,
        outcome: "ok",
        detail: { via: "declaration_password", login: i % 2 ? "qr" : "password", ip: `203.0.113.${i}` },
      });
    const legal = await AppUser.login(hub.url, legalRep);
    const seen: string[] = [];
    let query = "";
    const sizes: number[] = [];
    for (;;) {
      const page = CompanyRecords.parse((await legal.call("GET", records(ACME.taxId, query))).body);
      sizes.push(page.records.length);
      seen.push(...page.records.map((x) => `${x.at} ${x.login}`));
      if (!page.next) break;
      query = `?before=${page.next}`;
    }
    expect(sizes).toEqual([20, 20, 5]);
    const expected = Array.from({ length: 45 }, (_, i) => 44 - i).map(
      (i) => `${new Date(base + Math.floor(i / 3) * 1000).toISOString()} ${i % 2 ? "qr" : "password"}`,
    );
    expect(seen).toEqual(expected);

    const small = CompanyRecords.parse((await legal.call("GET", records(ACME.taxId, "?limit=7"))).body);
    expect(small.records).toHaveLength(7);
    expect(small.next).not.toBeNull();
  });

  it.each([
    ["a limit over 50", "?limit=51", "limit"],
    ["a limit of 0", "?limit=0", "limit"],
    ["a made-up cursor", "?before=yesterday", "before"],
    ["an unknown parameter", "?page=2", ""],
  ])("refuses %s", async (_what, query, path) => {
    const legal = await AppUser.login(hub.url, legalRep);
    const r = await legal.call("GET", records(ACME.taxId, query));
    expect(r).toMatchObject({ status: 400, body: { code: "BAD_MESSAGE" } });
    if (path) expect(r.body.path).toBe(path);
  });

  it("is for the legal representative and the finance manager only", async () => {
    const refused = {
      status: 403,
      body: { code: "NOT_LEGAL_REP_OR_FINANCE", message: "只有税务登记的法定代表人或财务经理可以进行此操作" },
    };
    // The handler who entered it, and the finance manager of another company (BETA has none).
    expect(await (await AppUser.login(hub.url, handler)).call("GET", records())).toMatchObject(refused);
    expect(
      await (await AppUser.login(hub.url, financeManager)).call("GET", records(BETA.taxId)),
    ).toMatchObject(refused);
    expect(await new AppUser(hub.url, "B".repeat(43)).call("GET", records())).toMatchObject({
      status: 401,
      body: { code: "NOT_LOGGED_IN" },
    });
    const legal = await AppUser.login(hub.url, legalRep);
    expect(await legal.call("GET", "/api/app/companies/123/records")).toMatchObject({
      status: 400,
      body: { code: "TAX_ID_INVALID" },
    });
  });
});
