import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPANIES, NEWCOMER } from "../../../server/demo/cast";
import { demoGuide, type Guide } from "../../../server/demo/guide";
import { seedDemo } from "../../../server/demo/seed";
import { MemorySink } from "../../../server/events/sink";
import { systemClock } from "../../../server/kernel/clock";
import { verifyPassword, verifySecret } from "../../../server/people/passwords";
import { findPersonByAccount } from "../../../server/people/store";
import { type Db, openStore } from "../../../server/store";
import { checkIdNumber, checkTaxId } from "../../../shared/rules";
import { makeWorld } from "../../support/accounts-world";

// The demo's data, seeded on an in-memory store: what the guide tells a newcomer to type must work.

const ctx = { publicUrl: "http://127.0.0.1:8080", hubRunning: false, store: "test" };

describe("the demo data", () => {
  let db: Db;
  let guide: Guide;
  let firstCode: string;
  const events = new MemorySink();
  const seed = () => seedDemo({ db, clock: systemClock, events, nodeId: "demo-test" });

  beforeAll(async () => {
    db = await openStore({ dataDir: ":memory:", databaseUrl: undefined });
    firstCode = (await seed()).hallCode;
    guide = demoGuide(await seed(), ctx); // the second run resets what the first wrote
  });
  afterAll(() => db.close());

  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0]?.n);

  it("is the same after a second run: five people, four companies, three bindings, one authorization", async () => {
    expect(await count("SELECT count(*) AS n FROM people")).toBe(5);
    expect(await count("SELECT count(*) AS n FROM companies")).toBe(4);
    expect(await count("SELECT count(*) AS n FROM company_bindings")).toBe(3);
    expect(await count("SELECT count(*) AS n FROM authorizations WHERE revoked_at IS NULL")).toBe(1);
    expect(events.ofKind("demo.seeded")).toHaveLength(2);
  });

  it("uses valid ID numbers and taxpayer IDs", () => {
    for (const a of guide.accounts) expect(checkIdNumber(a.idType, a.idNumber).ok).toBe(true);
    expect(checkIdNumber(NEWCOMER.idType, NEWCOMER.idNumber).ok).toBe(true);
    for (const c of guide.companies) expect(checkTaxId(c.taxId)).toEqual({ ok: true, value: c.taxId });
  });

  it("lets every printed account log in by login name and phone with the printed password", async () => {
    for (const a of guide.accounts) {
      for (const account of [a.loginName, a.phone]) {
        const found = await findPersonByAccount(db, account);
        expect(found.found && found.person.name).toBe(a.name);
        expect(found.found && (await verifyPassword(found.person, a.password))).toBe(true);
      }
    }
  });

  it("lets resident ID holders log in by ID number, and not the passport holder", async () => {
    const [residents, others] = [
      guide.accounts.filter((a) => a.logsInByIdNumber),
      guide.accounts.filter((a) => !a.logsInByIdNumber),
    ];
    expect(residents).toHaveLength(4);
    expect(others.map((a) => a.loginName)).toEqual(["johnsmith"]);
    for (const a of residents) {
      const found = await findPersonByAccount(db, a.idNumber);
      expect(found.found && (await verifyPassword(found.person, guide.password))).toBe(true);
    }
    expect(await findPersonByAccount(db, "EA1234567")).toMatchObject({
      found: false,
      reason: "id_number_not_allowed",
      person: { idNumber: "EA1234567" },
    });
  });

  it("stores each company's printed declaration password, company A as local", async () => {
    for (const c of guide.companies) {
      const rows = await db.query<{ declaration_password_hash: string; region_local: boolean }>(
        "SELECT declaration_password_hash, region_local FROM companies WHERE tax_id = $1",
        [c.taxId],
      );
      expect(await verifySecret(rows[0]?.declaration_password_hash ?? null, c.declarationPassword)).toBe(
        true,
      );
      expect(rows[0]?.region_local).toBe(c.key === "A");
    }
  });

  it("binds one handler to one company and another to several, with one authorization from the legal rep", async () => {
    const links = await db.query<{ login_name: string; tax_id: string; how: string }>(
      `SELECT p.login_name, b.tax_id, 'bound' AS how FROM company_bindings b JOIN people p ON p.id = b.person_id
       UNION ALL
       SELECT p.login_name, a.tax_id, 'authorized by ' || g.login_name FROM authorizations a
         JOIN people p ON p.id = a.handler_person_id JOIN people g ON g.id = a.granted_by
       ORDER BY 1, 2`,
    );
    const [a, b, c] = COMPANIES.map((x) => x.taxId);
    expect(links).toEqual([
      { login_name: "liqiang", tax_id: a, how: "bound" },
      { login_name: "liqiang", tax_id: b, how: "bound" },
      { login_name: "liqiang", tax_id: c, how: "authorized by zhaomin" },
      { login_name: "wangfang", tax_id: a, how: "bound" },
    ]);
    const legalRepOfC = await db.query<{ login_name: string }>(
      `SELECT p.login_name FROM companies c JOIN people p
         ON p.id_type = c.legal_rep_id_type AND p.id_number = c.legal_rep_id_number WHERE c.tax_id = $1`,
      [c],
    );
    expect(legalRepOfC).toEqual([{ login_name: "zhaomin" }]);
  });

  it("has the legal representative and finance manager registered as people", async () => {
    const roles = await db.query<{ tax_id: string; legal_rep: string | null; finance: string | null }>(
      `SELECT c.tax_id, l.login_name AS legal_rep, f.login_name AS finance FROM companies c
       LEFT JOIN people l ON l.id_type = c.legal_rep_id_type AND l.id_number = c.legal_rep_id_number
       LEFT JOIN people f ON f.id_type = c.finance_manager_id_type AND f.id_number = c.finance_manager_id_number
       ORDER BY c.tax_id`,
    );
    expect(roles.every((r) => r.legal_rep === "zhaomin")).toBe(true);
    expect(roles.filter((r) => r.finance === "qianjin")).toHaveLength(2);
  });

  it("gives a hall code that registers the newcomer; the previous run's code no longer does", async () => {
    const w = makeWorld(db);
    w.clock.t = new Date();
    const stale = await w.verify(NEWCOMER, firstCode);
    expect(stale.status).toBeGreaterThanOrEqual(400);
    const verified = await w.verify(NEWCOMER, guide.hallCode.code);
    expect(verified.status).toBe(200);
    const done = await w.finish(verified.body.registrationToken, {
      loginName: "sunli",
      phone: "13700001111",
    });
    expect(done.status).toBe(201);
    const found = await findPersonByAccount(db, "sunli");
    expect(found.found && found.person.idNumber).toBe(NEWCOMER.idNumber);
  });

  it("runs again after the newcomer registered, and leaves the newcomer unregistered with a new code", async () => {
    const again = await seed();
    expect(again.hallCode).not.toBe(guide.hallCode.code);
    expect(await findPersonByAccount(db, "sunli")).toEqual({ found: false, reason: "unknown" });
    expect(await count("SELECT count(*) AS n FROM people")).toBe(5);
  });

  it("says which demo account clashes with someone outside the demo", async () => {
    const wang = guide.accounts.find((a) => a.loginName === "wangfang");
    // The person holding wangfang's phone and login name is, for this test, not a demo identity.
    await db.query("UPDATE people SET id_number = '110101199003070000' WHERE login_name = 'wangfang'");
    await expect(seed()).rejects.toMatchObject({
      code: "PHONE_TAKEN",
      detail: "演示账号 wangfang 无法注册：该手机号码已被注册",
    });
    await db.query("UPDATE people SET id_number = $1 WHERE login_name = 'wangfang'", [wang?.idNumber]);
    expect((await seed()).people).toBe(5);
  });
});
