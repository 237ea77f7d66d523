import { describe, expect, it } from "vitest";
import {
  addCompany,
  issueHallCode,
  resetDeclarationPassword,
  resetPassword,
  unlockCompany,
  unlockPerson,
} from "../../../server/hall/service";
import { verifySecret } from "../../../server/people/passwords";
import { checkTaxId, HALL_CODE_ALPHABET } from "../../../shared/rules";
import { li, RESIDENT, taxId, type World, zhang } from "../../support/accounts-world";
import { STORES, type TestStore } from "../../support/stores";
import { freshWorldEachTest } from "../../support/world-on-stores";

const TAX_ID = taxId("12345678");
const OTHER_TAX_ID = taxId("87654321");

// The tax hall's side: codes, companies, and the resets and unlocks the seed sends people to the hall for.
describe.each(STORES)("the tax hall on %s", (kind) => {
  let store: TestStore;
  let w: World;
  freshWorldEachTest(kind, (s, world) => {
    [store, w] = [s, world];
  });

  /** 示例, with 张三 as its legal representative and the declaration password Decl1234. */
  const addExample = () =>
    addCompany(w.hall, {
      taxId: TAX_ID,
      name: "示例",
      legalRep: { idType: RESIDENT, idNumber: zhang.idNumber },
      declarationPassword: "Decl1234",
      local: false,
    });
  const lock = (subjectKind: string, subjectId: string) =>
    store.db.query(
      "INSERT INTO lockouts (subject_kind, subject_id, failures, locked_until, updated_at) VALUES ($1, $2, 5, $3, $4)",
      [subjectKind, subjectId, new Date(w.clock.date().getTime() + 7200_000), w.clock.date()],
    );

  it("issues a 6-character code from the rules' alphabet, valid 7 days, bound to the identity", async () => {
    const { code, expiresAt } = await issueHallCode(w.hall, zhang);
    expect(code).toMatch(new RegExp(`^[${HALL_CODE_ALPHABET}]{6}$`));
    expect(expiresAt.getTime() - w.clock.date().getTime()).toBe(7 * 24 * 3600_000);
    const [row] = await store.db.query("SELECT name, id_type, id_number, issued_by, tries FROM hall_codes");
    expect(row).toEqual({
      name: "张三",
      id_type: zhang.idType,
      id_number: zhang.idNumber,
      issued_by: "counter-1",
      tries: 0,
    });
  });

  it("refuses a code for someone who already has an account, or with a malformed ID number", async () => {
    await w.register(zhang, { loginName: "zhangsan", phone: "13812345678" });
    await expect(issueHallCode(w.hall, zhang)).rejects.toMatchObject({ code: "ID_ALREADY_REGISTERED" });
    await expect(issueHallCode(w.hall, { ...li, idNumber: "123" })).rejects.toMatchObject({
      data: { path: "idNumber" },
    });
  });

  it("adds a company with its legal rep and finance manager by identity and a hashed declaration password", async () => {
    await addCompany(w.hall, {
      taxId: TAX_ID.toLowerCase(),
      name: "北京示例科技有限公司",
      legalRep: { idType: RESIDENT, idNumber: zhang.idNumber },
      financeManager: { idType: RESIDENT, idNumber: li.idNumber },
      declarationPassword: "Decl1234",
      local: true,
    });
    const [c] = await store.db.query<Record<string, unknown>>("SELECT * FROM companies");
    expect(c).toMatchObject({
      tax_id: TAX_ID,
      legal_rep_id_number: zhang.idNumber,
      finance_manager_id_number: li.idNumber,
      region_local: true,
    });
    expect(await verifySecret(c?.declaration_password_hash as string, "Decl1234")).toBe(true);
  });

  it("refuses a second company with the same tax ID, a malformed tax ID and a weak declaration password", async () => {
    const company = {
      taxId: TAX_ID,
      name: "示例",
      legalRep: { idType: RESIDENT, idNumber: zhang.idNumber },
      declarationPassword: "Decl1234",
      local: false,
    };
    await addCompany(w.hall, company);
    await expect(addCompany(w.hall, company)).rejects.toMatchObject({ code: "COMPANY_EXISTS" });
    const bad = checkTaxId("123");
    await expect(addCompany(w.hall, { ...company, taxId: "123" })).rejects.toMatchObject({
      code: bad.ok ? "?" : bad.code,
    });
    await expect(
      addCompany(w.hall, { ...company, taxId: OTHER_TAX_ID, declarationPassword: "short" }),
    ).rejects.toMatchObject({ code: "DECLARATION_PASSWORD_FORMAT" });
  });

  it("resets a login password: lifts the lock and ends open sessions", async () => {
    await w.register(zhang, { loginName: "zhangsan", phone: "13812345678" });
    const [{ id } = { id: "" }] = await store.db.query<{ id: string }>("SELECT id FROM people");
    await lock("password", id);
    await store.db.query(
      `INSERT INTO sessions (token_hash, person_id, kind, created_at, last_seen_at, expires_at)
       VALUES ('t', $1, 'client', $2, $2, $2)`,
      [id, w.clock.date()],
    );
    const r = await resetPassword(w.hall, {
      idType: zhang.idType,
      idNumber: zhang.idNumber,
      password: "Hall-reset1",
    });
    expect(r).toEqual({ sessionsEnded: 1, wasLocked: true });
    expect(await store.db.query("SELECT end_reason FROM sessions")).toEqual([
      { end_reason: "password_reset" },
    ]);
    expect(w.events.ofKind("session.ended")).toHaveLength(1);
    await expect(resetPassword(w.hall, { ...li, password: "Hall-reset1" })).rejects.toMatchObject({
      code: "PERSON_NOT_FOUND",
    });
  });

  it("resets a declaration password and lifts its lock", async () => {
    await addExample();
    await lock("declaration", TAX_ID);
    expect(await resetDeclarationPassword(w.hall, { taxId: TAX_ID, password: "NewDecl5678" })).toEqual({
      wasLocked: true,
    });
    const [c] = await store.db.query<{ declaration_password_hash: string }>(
      "SELECT declaration_password_hash FROM companies",
    );
    expect(await verifySecret(c?.declaration_password_hash as string, "NewDecl5678")).toBe(true);
    expect(await store.db.query("SELECT failures, locked_until FROM lockouts")).toEqual([
      { failures: 0, locked_until: null },
    ]);
    await expect(
      resetDeclarationPassword(w.hall, { taxId: OTHER_TAX_ID, password: "NewDecl5678" }),
    ).rejects.toMatchObject({
      code: "COMPANY_NOT_FOUND",
    });
  });

  it("unlocks a person by ID number and a company by tax ID", async () => {
    await w.register(zhang, { loginName: "zhangsan", phone: "13812345678" });
    const [{ id } = { id: "" }] = await store.db.query<{ id: string }>("SELECT id FROM people");
    await lock("password", id);
    expect(await unlockPerson(w.hall, { idNumber: zhang.idNumber.toLowerCase() })).toEqual({
      wasLocked: true,
    });
    expect(await unlockPerson(w.hall, { idNumber: zhang.idNumber })).toEqual({ wasLocked: false });
    await expect(unlockPerson(w.hall, { idNumber: li.idNumber })).rejects.toMatchObject({
      code: "PERSON_NOT_FOUND",
    });
    await expect(unlockCompany(w.hall, { taxId: TAX_ID })).rejects.toMatchObject({
      code: "COMPANY_NOT_FOUND",
    });
  });

  it("audits every hall action under the operator's name, without passwords or codes", async () => {
    const { code } = await issueHallCode(w.hall, zhang);
    await addExample();
    await resetDeclarationPassword(w.hall, { taxId: TAX_ID, password: "NewDecl5678" });
    const rows = await store.db.query<{ action: string; actor: string }>(
      "SELECT action, actor FROM audit_log ORDER BY id",
    );
    expect(rows).toEqual([
      { action: "hall.issue_code", actor: "hall:counter-1" },
      { action: "hall.add_company", actor: "hall:counter-1" },
      { action: "hall.reset_declaration_password", actor: "hall:counter-1" },
    ]);
    const all = JSON.stringify(await store.db.query("SELECT * FROM audit_log"));
    for (const secret of [code, "Decl1234", "NewDecl5678", zhang.idNumber]) expect(all).not.toContain(secret);
  });
});
