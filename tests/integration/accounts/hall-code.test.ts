import { describe, expect, it } from "vitest";
import { checkHallCode, checkIdNumber, HALL_CODE_TTL_MS } from "../../../shared/rules";
import { AGREEMENT, CAPTURE, li, makeWorld, smith, type World, zhang } from "../../support/accounts-world";
import { STORES, type TestStore } from "../../support/stores";
import { freshWorldEachTest } from "../../support/world-on-stores";

// seed 2.1 ② / 2.2.1 — 大厅注册码注册, step 1: the code and the identity it was issued to.
describe.each(STORES)("registration by hall code on %s", (kind) => {
  let store: TestStore;
  let w: World;
  freshWorldEachTest(kind, (s, world) => {
    [store, w] = [s, world];
  });

  it("verifies a fresh code for its identity and hands out a registration token", async () => {
    const code = await w.issue(zhang);
    const r = await w.verify(zhang, code);
    expect(r.status).toBe(200);
    expect(r.body.registrationToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.body.via).toBe("hall_code");
    expect(r.body.identity).toEqual({
      maskedName: "*三",
      idType: zhang.idType,
      maskedIdNumber: "1101**********4514",
    });
    const [reg] = await store.db.query<{ agreement_version: string; token_hash: string }>(
      "SELECT agreement_version, token_hash FROM registrations",
    );
    expect(reg?.agreement_version).toBe(AGREEMENT);
    expect(reg?.token_hash).not.toContain(r.body.registrationToken);
  });

  it("compares the code case-insensitively and stores only its hash", async () => {
    const code = await w.issue(zhang);
    const rows = await store.db.query<{ code_hash: string }>("SELECT code_hash FROM hall_codes");
    expect(JSON.stringify(rows)).not.toContain(code);
    expect((await w.verify(zhang, code.toLowerCase())).status).toBe(200);
  });

  it("works for every ID type, e.g. a foreign passport with nationality", async () => {
    const code = await w.issue(smith);
    const r = await w.verify(smith, code, { channel: "app" });
    expect(r.status).toBe(200);
    expect(r.body.identity.idType).toBe(smith.idType);
  });

  it("refuses an expired code once 7 days have passed, and accepts it just before", async () => {
    const code = await w.issue(zhang);
    w.clock.advance(HALL_CODE_TTL_MS - 1);
    expect((await w.verify(zhang, code)).status).toBe(200);
    w.clock.advance(1);
    const r = await w.verify(zhang, code);
    expect(r).toMatchObject({ status: 410, body: { code: "HALL_CODE_EXPIRED", path: "hallCode" } });
    expect(r.body.message).toContain("7天");
  });

  it("voids the old code when the hall issues a new one for the same person", async () => {
    const old = await w.issue(zhang);
    const fresh = await w.issue(zhang);
    expect((await w.verify(zhang, old)).body.code).toBe("HALL_CODE_VOIDED");
    expect((await w.verify(zhang, fresh)).status).toBe(200);
  });

  it("refuses a code already used to create an account", async () => {
    const code = await w.issue(zhang);
    const verified = await w.verify(zhang, code);
    const done = await w.finish(verified.body.registrationToken, {
      loginName: "zhangsan",
      phone: "13812345678",
    });
    expect(done.status).toBe(201);
    expect((await w.verify(zhang, code)).body.code).toBe("HALL_CODE_USED");
  });

  it("refuses a wrong code with the tries left, and voids the code at the 5th wrong try", async () => {
    const code = await w.issue(zhang);
    const wrong = code === "AAAAAA" ? "BBBBBB" : "AAAAAA";
    for (let left = 4; left >= 1; left--) {
      expect((await w.verify(zhang, wrong)).body).toMatchObject({
        code: "HALL_CODE_MISMATCH",
        attemptsLeft: left,
      });
    }
    expect((await w.verify(zhang, wrong)).body).toMatchObject({
      code: "HALL_CODE_TOO_MANY_TRIES",
      attemptsLeft: 0,
    });
    // Even the right code no longer works: the person goes back to the hall.
    expect((await w.verify(zhang, code)).body.code).toBe("HALL_CODE_TOO_MANY_TRIES");
    const [row] = await store.db.query<{ tries: number; void_reason: string }>(
      "SELECT tries, void_reason FROM hall_codes",
    );
    expect(row).toEqual({ tries: 5, void_reason: "tries" });
  });

  it("refuses a code issued to someone else", async () => {
    const code = await w.issue(li);
    await w.issue(zhang);
    expect((await w.verify(zhang, code)).body.code).toBe("HALL_CODE_MISMATCH");
  });

  it("refuses a right code with another name or nationality than the hall recorded, counting a try", async () => {
    const code = await w.issue(zhang);
    const r = await w.verify({ ...zhang, name: "张叁" }, code);
    expect(r.body).toMatchObject({ code: "HALL_CODE_IDENTITY_MISMATCH", attemptsLeft: 4 });
    const passport = await w.issue(smith);
    expect((await w.verify({ ...smith, nationality: "GBR" }, passport)).body.code).toBe(
      "HALL_CODE_IDENTITY_MISMATCH",
    );
  });

  it("refuses a good code when its person registered meanwhile by face", async () => {
    w = makeWorld(store.db, { faces: [li.idNumber] });
    const code = await w.issue(li);
    const face = await w.post("/api/register/face", { agreementVersion: AGREEMENT, ...li, capture: CAPTURE });
    await w.finish(face.body.registrationToken, { loginName: "lisi", phone: "13900000001" });
    expect((await w.verify(li, code)).body).toMatchObject({
      code: "ID_ALREADY_REGISTERED",
      path: "idNumber",
    });
    // Nothing was counted against the code: it was right.
    expect(await store.db.query("SELECT tries FROM hall_codes")).toEqual([{ tries: 0 }]);
  });

  it("refuses without the user agreement, or with an outdated one (seed 2: 同意并继续)", async () => {
    const code = await w.issue(zhang);
    const none = await w.verify(zhang, code, { agreementVersion: undefined });
    expect(none).toMatchObject({
      status: 400,
      body: { code: "AGREEMENT_REQUIRED", path: "agreementVersion" },
    });
    const old = await w.verify(zhang, code, { agreementVersion: "2018-01-01" });
    expect(old.body.code).toBe("AGREEMENT_OUTDATED");
  });

  it("names the field of each malformed input", async () => {
    const code = await w.issue(zhang);
    const badId = await w.verify({ ...zhang, idNumber: "110101199003074515" }, code);
    const expected = checkIdNumber(zhang.idType, "110101199003074515");
    expect(badId.body).toMatchObject({ code: expected.ok ? "?" : expected.code, path: "idNumber" });
    const badCode = await w.verify(zhang, "12");
    const expectedCode = checkHallCode("12");
    expect(badCode.body).toMatchObject({ code: expectedCode.ok ? "?" : expectedCode.code, path: "hallCode" });
    expect((await w.verify(zhang, code, { idType: "学生证" })).body).toMatchObject({
      code: "BAD_MESSAGE",
      path: "idType",
    });
    expect((await w.verify(zhang, code, { channel: "fax" })).body).toMatchObject({
      code: "BAD_MESSAGE",
      path: "channel",
    });
    expect((await w.verify(zhang, code, { admin: true })).body.code).toBe("BAD_MESSAGE");
    expect((await w.verify(zhang, code, { name: "" })).body).toMatchObject({
      code: "BAD_MESSAGE",
      path: "name",
    });
    expect(await w.post("/api/register/hall-code", "{not json")).toMatchObject({
      status: 400,
      body: { code: "BAD_MESSAGE", message: "请求格式有误" },
    });
  });

  it("refuses a body larger than the route allows", async () => {
    const r = await w.post("/api/register/hall-code", { name: "张".repeat(20_000) });
    expect(r).toMatchObject({ status: 413, body: { code: "FRAME_TOO_LARGE" } });
  });

  it("audits refusals and successes with the ID number masked", async () => {
    const code = await w.issue(zhang);
    await w.verify(zhang, "AAAAAA" === code ? "BBBBBB" : "AAAAAA");
    await w.verify(zhang, code);
    const rows = await store.db.query<{ action: string; subject: string; outcome: string; actor: string }>(
      "SELECT action, subject, outcome, actor FROM audit_log ORDER BY id",
    );
    expect(rows).toEqual([
      {
        action: "hall.issue_code",
        subject: "居民身份证 1101**********4514",
        outcome: "ok",
        actor: "hall:counter-1",
      },
      {
        action: "register.hall_code",
        subject: "居民身份证 1101**********4514",
        outcome: "HALL_CODE_MISMATCH",
        actor: "ip:203.0.113.7",
      },
      {
        action: "register.hall_code",
        subject: "居民身份证 1101**********4514",
        outcome: "ok",
        actor: "ip:203.0.113.7",
      },
    ]);
    expect(JSON.stringify(await store.db.query("SELECT * FROM audit_log"))).not.toContain(zhang.idNumber);
  });
});
