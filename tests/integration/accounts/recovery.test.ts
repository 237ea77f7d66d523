import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../../server/people/passwords";
import { findPersonByIdentity } from "../../../server/people/store";
import { checkPassword } from "../../../shared/rules";
import { li, type World, zhang } from "../../support/accounts-world";
import { STORES, type TestStore } from "../../support/stores";
import { freshWorldEachTest } from "../../support/world-on-stores";

// seed 1.1 / 2.1 (3) 【忘记密码】: identity + SMS code to the registered phone → new password; the lock is
// lifted and existing sessions end.
describe.each(STORES)("forgot password on %s", (kind) => {
  let store: TestStore;
  let w: World;
  let personId: string;
  freshWorldEachTest(kind, async (s, world) => {
    [store, w] = [s, world];
    await w.register(zhang, { loginName: "zhangsan", phone: "13812345678", password: "Old-passw0rd" });
    personId = (await findPersonByIdentity(store.db, zhang.idType, zhang.idNumber))?.id as string;
    w.clock.advance(60_000);
  });

  const identity = { name: zhang.name, idType: zhang.idType, idNumber: zhang.idNumber };
  const askCode = (over: Record<string, unknown> = {}) =>
    w.post("/api/password/sms", { ...identity, ...over });
  const reset = (over: Record<string, unknown> = {}) =>
    w.post("/api/password/reset", {
      ...identity,
      password: "New-passw0rd",
      ...over,
      smsCode: "smsCode" in over ? over.smsCode : w.lastSmsCode(),
    });

  async function openSession(kind: string, ended = false) {
    const now = w.clock.date();
    await store.db.query(
      `INSERT INTO sessions (token_hash, person_id, kind, created_at, last_seen_at, expires_at, ended_at, end_reason)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`,
      [
        `hash-${kind}-${ended}`,
        personId,
        kind,
        now,
        new Date(now.getTime() + 3600_000),
        ended ? now : null,
        ended ? "logout" : null,
      ],
    );
  }

  it("sends the code to the registered phone, showing it masked", async () => {
    const r = await askCode();
    expect(r.body.maskedPhone).toBe("138****5678");
    expect(w.events.ofKind("sms.sent").at(-1)).toMatchObject({
      phone: "138****5678",
      purpose: "reset_password",
    });
  });

  it("sets the new password, lifts the lock and ends every open session", async () => {
    await openSession("client");
    await openSession("app");
    await openSession("portal", true);
    await store.db.query(
      "INSERT INTO lockouts (subject_kind, subject_id, failures, locked_until, updated_at) VALUES ('password', $1, 5, $2, $3)",
      [personId, new Date(w.clock.date().getTime() + 7200_000), w.clock.date()],
    );
    await askCode();
    const r = await reset();
    expect(r).toEqual({ status: 200, body: { sessionsEnded: 2 } });
    const person = await findPersonByIdentity(store.db, zhang.idType, zhang.idNumber);
    expect(await verifyPassword(person, "New-passw0rd")).toBe(true);
    expect(await verifyPassword(person, "Old-passw0rd")).toBe(false);
    expect(await store.db.query("SELECT failures, locked_until FROM lockouts")).toEqual([
      { failures: 0, locked_until: null },
    ]);
    const sessions = await store.db.query<{ kind: string; end_reason: string; ended_at: Date }>(
      "SELECT kind, end_reason, ended_at FROM sessions ORDER BY kind",
    );
    expect(sessions).toEqual([
      { kind: "app", end_reason: "password_reset", ended_at: w.clock.date() },
      { kind: "client", end_reason: "password_reset", ended_at: w.clock.date() },
      { kind: "portal", end_reason: "logout", ended_at: w.clock.date() },
    ]);
    const ended = w.events.ofKind("session.ended");
    expect(ended).toHaveLength(2);
    expect(ended[0]).toMatchObject({ personId, reason: "password_reset" });
    expect(w.events.ofKind("password.reset")).toEqual([{ personId, by: "sms", wasLocked: true }]);
  });

  it("refuses an identity that is not registered, or whose name differs", async () => {
    expect(await askCode({ idNumber: li.idNumber })).toMatchObject({
      status: 404,
      body: { code: "PERSON_NOT_FOUND" },
    });
    expect((await askCode({ name: "张叁" })).body.code).toBe("PERSON_NOT_FOUND");
    expect(w.events.ofKind("sms.sent").filter((e) => e.purpose === "reset_password")).toEqual([]);
  });

  it("refuses a wrong or missing SMS code, and a code sent for registration", async () => {
    expect((await reset({ smsCode: "000000" })).body.code).toBe("SMS_CODE_NOT_SENT");
    await askCode();
    const right = w.lastSmsCode();
    expect((await reset({ smsCode: right === "000000" ? "111111" : "000000" })).body).toMatchObject({
      code: "SMS_CODE_WRONG",
      attemptsLeft: 4,
    });
    expect((await reset({ smsCode: right })).status).toBe(200);
    expect((await reset({ smsCode: right })).body.code).toBe("SMS_CODE_EXPIRED");
  });

  it("applies the password rules to the new password, without using the code", async () => {
    await askCode();
    const weak = await reset({ password: "12345678" });
    expect(weak.body).toMatchObject({
      code: (checkPassword("12345678") as { code: string }).code,
      path: "password",
    });
    expect((await reset()).status).toBe(200);
  });

  it("keeps the 60-second interval between codes", async () => {
    await askCode();
    expect((await askCode()).body.code).toBe("SMS_TOO_SOON");
  });
});
