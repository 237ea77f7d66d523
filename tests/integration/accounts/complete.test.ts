import { verify } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { REGISTRATION_TTL_MS } from "../../../server/accounts/registration";
import type { Db, Queryable } from "../../../server/store";
import { checkLoginName, checkMobile, checkPassword, HALL_CODE_TTL_MS } from "../../../shared/rules";
import {
  AGREEMENT,
  type Answer,
  li,
  makeWorld,
  rare,
  smith,
  type World,
  zhang,
} from "../../support/accounts-world";
import { emptyTables, STORES, type TestStore } from "../../support/stores";
import { freshWorldEachTest } from "../../support/world-on-stores";

const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? "passes?" : r.code);

/** The same store, except that a statement matching `pattern` fails inside transactions. */
function failingInside(pattern: RegExp) {
  return (db: Db): Db => {
    const broken = (tx: Queryable): Queryable => ({
      query: (sql, params) =>
        pattern.test(sql) ? Promise.reject(new Error("injected failure")) : tx.query(sql, params),
      exec: (sql) => tx.exec(sql),
    });
    return {
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      transaction: (fn) => db.transaction((tx) => fn(broken(tx))),
      close: () => db.close(),
    };
  };
}

// seed 2.1 ③ / 2.2 (7): login name, password, phone with SMS code (+ 户籍所在地 on the portal).
describe.each(STORES)("completing a registration on %s", (kind) => {
  let store: TestStore;
  let w: World;
  let token: string;
  freshWorldEachTest(kind, async (s, world) => {
    [store, w] = [s, world];
    token = (await w.verify(zhang, await w.issue(zhang))).body.registrationToken;
  });

  const sms = (phone = "13812345678", t = token) =>
    w.post("/api/register/sms", { registrationToken: t, phone });
  const complete = (over: Record<string, unknown> = {}): Promise<Answer> =>
    w.post("/api/register/complete", {
      registrationToken: token,
      loginName: "zhangsan",
      password: "Passw0rd!",
      phone: "13812345678",
      householdRegion: "110101",
      ...over,
      smsCode: "smsCode" in over ? over.smsCode : w.lastSmsCode(),
    });

  it("creates the account with everything the person gave, the agreement version and a hashed password", async () => {
    const sent = await sms();
    expect(sent.status).toBe(200);
    expect(sent.body.maskedPhone).toBe("138****5678");
    const r = await complete();
    expect(r).toEqual({
      status: 201,
      body: { loginName: "zhangsan", maskedPhone: "138****5678", via: "hall_code" },
    });
    const [p] = await store.db.query<Record<string, unknown>>("SELECT * FROM people");
    expect(p).toMatchObject({
      name: "张三",
      id_type: zhang.idType,
      id_number: zhang.idNumber,
      login_name: "zhangsan",
      phone: "13812345678",
      household_region: "110101",
      agreement_version: AGREEMENT,
      registered_via: "hall_code",
    });
    expect(p?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify(p?.password_hash as string, "Passw0rd!")).toBe(true);
    const [code] = await store.db.query<{ used_at: Date; used_by: string }>(
      "SELECT used_at, used_by FROM hall_codes",
    );
    expect(code?.used_at).toEqual(w.clock.date());
    expect(code?.used_by).toBe(p?.id);
    expect(w.events.ofKind("registration.completed")).toEqual([
      {
        via: "hall_code",
        channel: "portal",
        idType: zhang.idType,
        idNumber: "1101**********4514",
        name: "*三",
      },
    ]);
  });

  it("keeps names as NFC, rare characters included", async () => {
    token = (await w.verify(rare, await w.issue(rare))).body.registrationToken;
    await w.finish(token, { loginName: "wang_1", phone: "13812340000" });
    const decomposed = { ...smith, name: "ZOE\u0308 SMITH" };
    const t2 = (await w.verify(decomposed, await w.issue(decomposed), { channel: "app" })).body
      .registrationToken;
    expect((await w.finish(t2, { loginName: "zoe_smith", phone: "13812340001" })).status).toBe(201);
    const names = await store.db.query<{ name: string; nationality: string }>(
      "SELECT name, nationality FROM people ORDER BY login_name",
    );
    expect(names).toEqual([
      { name: "王𠀾", nationality: null },
      { name: "ZO\u00cb SMITH", nationality: "USA" },
    ]);
  });

  it("asks for 户籍所在地 on the portal, takes none in the app, and refuses an unknown region", async () => {
    await sms();
    expect((await complete({ householdRegion: undefined })).body).toMatchObject({
      code: "HOUSEHOLD_REGION_REQUIRED",
      path: "householdRegion",
    });
    expect((await complete({ householdRegion: "999999" })).body.code).toBe("HOUSEHOLD_REGION_INVALID");
    expect((await complete({ householdRegion: "北京" })).body.code).toBe("HOUSEHOLD_REGION_INVALID");
    const app = (await w.verify(li, await w.issue(li), { channel: "app" })).body.registrationToken;
    const r = await w.finish(app, {
      loginName: "lisi",
      phone: "13900000001",
      householdRegion: undefined as never,
    });
    expect(r.status).toBe(201);
  });

  it("applies the login name and password rules, naming the field", async () => {
    await sms();
    expect((await complete({ loginName: "12345678" })).body).toMatchObject({
      code: codeOf(checkLoginName("12345678")),
      path: "loginName",
    });
    const weak = await complete({ password: "password" });
    expect(weak.body).toMatchObject({ code: codeOf(checkPassword("password")), path: "password" });
    expect(weak.body.message).toContain("8-15");
    expect((await complete({ password: "Pass w0rd!" })).body.path).toBe("password");
    expect((await complete({ phone: "2345" })).body).toMatchObject({
      code: codeOf(checkMobile("2345")),
      path: "phone",
    });
  });

  it("refuses a login name already used, but not the same name in other letter case", async () => {
    await w.register(li, { loginName: "ZhangSan", phone: "13900000001" });
    await sms();
    const clash = await complete({ loginName: "ZhangSan" });
    expect(clash).toMatchObject({
      status: 409,
      body: { code: "LOGIN_NAME_TAKEN", message: "该登录名已被使用" },
    });
    expect((await complete({ loginName: "zhangsan" })).status).toBe(201);
  });

  it("refuses a phone that registered meanwhile, leaving the hall code usable", async () => {
    await sms();
    const mine = w.lastSmsCode();
    w.clock.advance(60_000);
    expect((await w.register(li, { loginName: "lisi", phone: "13812345678" })).status).toBe(201);
    const clash = await complete({ smsCode: mine });
    expect(clash).toMatchObject({
      status: 409,
      body: { code: "PHONE_TAKEN", message: "该手机号码已被注册" },
    });
    const used = await store.db.query(
      "SELECT id FROM hall_codes WHERE id_number = $1 AND used_at IS NOT NULL",
      [zhang.idNumber],
    );
    expect(used).toEqual([]);
    await sms("13812345679");
    expect((await complete({ phone: "13812345679" })).status).toBe(201);
  });

  it("refuses a second account for the same identity", async () => {
    const second = (await w.verify(zhang, (await w.issue(zhang)) as string)).body.registrationToken;
    await w.finish(second, { loginName: "first", phone: "13900000009" });
    await sms();
    const r = await complete();
    expect(r).toMatchObject({
      status: 409,
      body: { code: "ID_ALREADY_REGISTERED", message: "该证件已注册，请直接登录或通过【忘记密码】找回" },
    });
    expect((await store.db.query("SELECT id FROM people")).length).toBe(1);
  });

  it("lets exactly one of two simultaneous registrations with the same login name through", async () => {
    const other = (await w.verify(li, await w.issue(li))).body.registrationToken;
    await sms("13812345678");
    const mine = w.lastSmsCode();
    await sms("13900000001", other);
    const theirs = w.lastSmsCode();
    const answers = await Promise.all([
      complete({ smsCode: mine }),
      complete({ registrationToken: other, phone: "13900000001", smsCode: theirs }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)?.body.code).toBe("LOGIN_NAME_TAKEN");
    expect((await store.db.query("SELECT id FROM people")).length).toBe(1);
  });

  it.each([
    ["at its last statement (the audit row)", /INSERT INTO audit_log/],
    ["in the middle (consuming the SMS code)", /UPDATE sms_codes SET used_at/],
  ])("leaves no account and burns no code when creating it fails %s", async (_, pattern) => {
    await sms();
    const code = w.lastSmsCode();
    const broken = makeWorld(store.db, { wrapDb: failingInside(pattern) });
    broken.clock.t = w.clock.date();
    const failed = await broken.post("/api/register/complete", {
      registrationToken: token,
      loginName: "zhangsan",
      password: "Passw0rd!",
      phone: "13812345678",
      smsCode: code,
      householdRegion: "110101",
    });
    expect(failed).toEqual({
      status: 500,
      body: { code: "INTERNAL", message: "系统繁忙，请稍后再试", retryable: true },
    });
    expect(await store.db.query("SELECT id FROM people")).toEqual([]);
    expect(await store.db.query("SELECT id FROM hall_codes WHERE used_at IS NOT NULL")).toEqual([]);
    expect(await store.db.query("SELECT id FROM sms_codes WHERE used_at IS NOT NULL")).toEqual([]);
    // The same token, hall code and SMS code still complete the registration.
    expect((await complete({ smsCode: code })).status).toBe(201);
  });

  it("refuses to complete once the hall voided the code for a new one, keeping the SMS code", async () => {
    await sms();
    await w.issue(zhang);
    const r = await complete();
    expect(r).toMatchObject({ status: 410, body: { code: "HALL_CODE_VOIDED", path: "hallCode" } });
    expect(await store.db.query("SELECT id FROM people")).toEqual([]);
    expect(await store.db.query("SELECT id FROM sms_codes WHERE used_at IS NOT NULL")).toEqual([]);
  });

  it("refuses to complete when the hall code expired between verification and completion", async () => {
    await emptyTables(store.db);
    const code = await w.issue(zhang);
    w.clock.advance(HALL_CODE_TTL_MS - 2 * 60_000);
    token = (await w.verify(zhang, code)).body.registrationToken;
    await sms();
    w.clock.advance(2 * 60_000); // the SMS code (5 min) still works; the hall code (7 days) no longer
    expect((await complete()).body).toMatchObject({ code: "HALL_CODE_EXPIRED", path: "hallCode" });
    expect(await store.db.query("SELECT id FROM people")).toEqual([]);
  });

  it("waits 60 seconds between two SMS codes to one phone, and only the newest code works", async () => {
    await sms();
    const first = w.lastSmsCode();
    w.clock.advance(59_000);
    expect(await sms()).toMatchObject({ status: 429, body: { code: "SMS_TOO_SOON", retryAfterS: 1 } });
    w.clock.advance(1_000);
    expect((await sms()).status).toBe(200);
    const second = w.lastSmsCode();
    if (first !== second) expect((await complete({ smsCode: first })).body.code).toBe("SMS_CODE_WRONG");
    expect((await complete({ smsCode: second })).status).toBe(201);
  });

  it("answers UNAVAILABLE when the SMS provider fails, and lets the person ask again at once", async () => {
    const sender = w.deps.sms;
    const down = () => Promise.reject(new Error("provider down"));
    w.deps.sms = { name: "down", send: down, notify: down };
    expect(await sms()).toMatchObject({ status: 503, body: { code: "UNAVAILABLE", retryable: true } });
    w.deps.sms = sender;
    expect((await sms()).status).toBe(200);
  });

  it("refuses an SMS code after 5 minutes", async () => {
    await sms();
    w.clock.advance(5 * 60_000);
    expect((await complete()).body).toMatchObject({ code: "SMS_CODE_EXPIRED", path: "smsCode" });
  });

  it("stops an SMS code at the 5th wrong try", async () => {
    await sms();
    const right = w.lastSmsCode();
    const wrong = right === "000000" ? "111111" : "000000";
    for (let left = 4; left >= 1; left--) {
      expect((await complete({ smsCode: wrong })).body).toMatchObject({
        code: "SMS_CODE_WRONG",
        attemptsLeft: left,
      });
    }
    expect((await complete({ smsCode: wrong })).body).toMatchObject({
      code: "SMS_CODE_TOO_MANY_TRIES",
      attemptsLeft: 0,
    });
    expect((await complete({ smsCode: right })).body.code).toBe("SMS_CODE_TOO_MANY_TRIES");
  });

  it("wants a code sent to the very phone being registered", async () => {
    expect((await complete({ smsCode: "123456" })).body.code).toBe("SMS_CODE_NOT_SENT");
    await sms("13812345678");
    const r = await complete({ phone: "13812345670" });
    expect(r.body).toMatchObject({ code: "SMS_CODE_NOT_SENT", message: "请先获取短信验证码" });
  });

  it("sends no SMS code to a phone that already has an account, nor to a malformed one", async () => {
    await w.register(li, { loginName: "lisi", phone: "13900000001" });
    expect(await sms("13900000001")).toMatchObject({
      status: 409,
      body: { code: "PHONE_TAKEN", path: "phone" },
    });
    expect((await sms("1390000000x")).body).toMatchObject({
      code: codeOf(checkMobile("1390000000x")),
      path: "phone",
    });
  });

  it("ends the registration after 30 minutes, and refuses unknown tokens", async () => {
    w.clock.advance(REGISTRATION_TTL_MS);
    expect(await sms()).toMatchObject({ status: 410, body: { code: "REGISTRATION_EXPIRED" } });
    const unknown = "A".repeat(43);
    expect((await sms("13812345678", unknown)).body.code).toBe("REGISTRATION_EXPIRED");
    expect((await sms("13812345678", "short")).body).toMatchObject({
      code: "BAD_MESSAGE",
      path: "registrationToken",
    });
  });

  it("audits the account's creation inside its transaction, without secrets", async () => {
    await sms();
    const code = w.lastSmsCode();
    await complete();
    const rows = await store.db.query<{
      action: string;
      outcome: string;
      subject: string;
      detail: Record<string, unknown>;
    }>("SELECT action, outcome, subject, detail FROM audit_log WHERE action = 'register.complete'");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "ok", subject: "居民身份证 1101**********4514" });
    expect(rows[0]?.detail).toMatchObject({
      via: "hall_code",
      channel: "portal",
      agreementVersion: AGREEMENT,
    });
    const all = JSON.stringify(await store.db.query("SELECT * FROM audit_log"));
    for (const secret of ["Passw0rd!", code, zhang.idNumber, "13812345678", token])
      expect(all).not.toContain(secret);
  });
});
