import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARGON2_OPTIONS, hashPassword, verifyPassword, verifySecret } from "../../../server/people/passwords";
import { findPersonByAccount } from "../../../server/people/store";
import { makeWorld, smith, zhang } from "../../support/accounts-world";
import { openTestStore, STORES, type TestStore } from "../../support/stores";

// seed 1.1: the account is the phone, the login name or the ID number — the ID number only for people
// registered with a 居民身份证. For the login flow (another helper) to build on.
describe.each(STORES)("finding a person by the account typed at login, on %s", (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
    const w = makeWorld(store.db);
    await w.register(zhang, { loginName: "zhangsan", phone: "13812345678", password: "Passw0rd!" });
    w.clock.advance(60_000);
    await w.register(smith, { loginName: "John_S", phone: "13900000001" });
  });
  afterAll(() => store.cleanup());

  it.each([
    ["the phone", "13812345678", "phone"],
    ["the login name", "zhangsan", "login_name"],
    ["the ID number", zhang.idNumber, "id_number"],
    ["the ID number with a lower-case x, trimmed", ` ${zhang.idNumber.toLowerCase()} `, "id_number"],
  ])("finds a 居民身份证 holder by %s", async (_, account, by) => {
    const r = await findPersonByAccount(store.db, account);
    expect(r).toMatchObject({ found: true, by, person: { loginName: "zhangsan", name: "张三" } });
  });

  it("finds a passport holder by login name (case-sensitive) or phone, never by ID number", async () => {
    expect(await findPersonByAccount(store.db, "John_S")).toMatchObject({ found: true, by: "login_name" });
    expect(await findPersonByAccount(store.db, "john_s")).toEqual({ found: false, reason: "unknown" });
    expect(await findPersonByAccount(store.db, "13900000001")).toMatchObject({ found: true, by: "phone" });
    expect(await findPersonByAccount(store.db, smith.idNumber)).toMatchObject({
      found: false,
      reason: "id_number_not_allowed",
      person: { idNumber: smith.idNumber },
    });
  });

  it("finds nobody for an unknown or empty account", async () => {
    expect(await findPersonByAccount(store.db, "nobody")).toEqual({ found: false, reason: "unknown" });
    expect(await findPersonByAccount(store.db, "  ")).toEqual({ found: false, reason: "unknown" });
  });

  it("verifies the password with argon2id, and answers false for an unknown account", async () => {
    const r = await findPersonByAccount(store.db, "zhangsan");
    const person = r.found ? r.person : null;
    expect(person?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(person, "Passw0rd!")).toBe(true);
    expect(await verifyPassword(person, "passw0rd!")).toBe(false);
    expect(await verifyPassword(null, "Passw0rd!")).toBe(false);
  });
});

describe("password hashes", () => {
  it("use OWASP's argon2id parameters and a fresh salt each time", async () => {
    expect(ARGON2_OPTIONS).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const [a, b] = await Promise.all([hashPassword("Same-passw0rd"), hashPassword("Same-passw0rd")]);
    expect(a).not.toBe(b);
    expect(await verifySecret(a as string, "Same-passw0rd")).toBe(true);
  });

  it("never let anyone in against a malformed stored hash", async () => {
    expect(await verifySecret("not-a-hash", "anything")).toBe(false);
  });
});
