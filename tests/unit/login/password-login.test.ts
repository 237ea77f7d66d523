import { beforeAll, describe, expect, it } from "vitest";
import { MemoryOneUseStore } from "../../../server/bus/one-use";
import { CaptchaService } from "../../../server/captcha/service";
import { systemClock } from "../../../server/kernel/clock";
import { MemoryLockoutStore } from "../../../server/lockout/store";
import { passwordLogin } from "../../../server/login/password-login";
import { hashPassword } from "../../../server/people/passwords";
import type { Queryable } from "../../../server/store";

// seed 1.1 as one function for every front, over a store of two people held in memory: the account
// typed three ways is one lockout subject; an unknown account answers like a wrong password.

const NOW = new Date("2024-03-01T09:00:00+08:00");

interface Row {
  id: string;
  name: string;
  id_type: string;
  id_number: string;
  login_name: string;
  phone: string;
  password_hash: string;
}
let rows: Row[];

/** Answers the one query findPersonByAccount makes: phone = $1 OR login_name = $1 OR id_number = $2. */
const people: Queryable = {
  async query<T>(_sql: string, params: readonly unknown[] = []) {
    const [typed, upper] = params as [string, string];
    return rows.filter((r) => r.phone === typed || r.login_name === typed || r.id_number === upper) as T[];
  },
  async exec() {},
};

beforeAll(async () => {
  const hash = await hashPassword("Passw0rd!x");
  const base = {
    nationality: null,
    household_region: null,
    agreement_version: "v",
    registered_via: "hall_code",
  };
  rows = [
    {
      id: "p-1",
      name: "王芳",
      id_type: "居民身份证",
      id_number: "320102198805123121",
      login_name: "wangfang",
      phone: "13900000001",
      password_hash: hash,
      ...base,
    },
    {
      id: "p-2",
      name: "JOHN SMITH",
      id_type: "外国护照",
      id_number: "E98765432",
      login_name: "johnsmith",
      phone: "13900000004",
      password_hash: hash,
      ...base,
    },
  ] as Row[];
});

function world() {
  const captcha = new CaptchaService({
    store: new MemoryOneUseStore({ now: () => NOW.getTime() }),
    newText: () => "K7MX",
  });
  const lockouts = new MemoryLockoutStore();
  const counted: string[] = [];
  const heldBack: number[] = [];
  const deps = {
    db: people,
    lockouts,
    captcha,
    publicUrl: "https://hub.example",
    countTry: async (key: string) => void counted.push(key),
    holdBack: async (failuresBefore: number) => void heldBack.push(failuresBefore),
  };
  const solved = async () => ({ id: (await captcha.issue("login", NOW)).id, answer: "K7MX" });
  const attempt = (account: string, password: string, withCaptcha = false) =>
    (withCaptcha ? solved() : Promise.resolve(undefined)).then((c) =>
      passwordLogin(deps, { account, password, captcha: c }, NOW),
    );
  return { attempt, lockouts, counted, heldBack };
}

describe("passwordLogin", () => {
  it.each([
    ["phone", "13900000001"],
    ["login_name", "wangfang"],
    ["id_number", "320102198805123121"],
  ])("finds the person by %s", async (by, account) => {
    const r = await world().attempt(account, "Passw0rd!x");
    expect(r).toMatchObject({ ok: true, by, person: { id: "p-1" } });
  });

  it("tells only whoever knows the password that a passport number is not an account", async () => {
    const w = world();
    expect(await w.attempt("E98765432", "Passw0rd!x")).toEqual({
      ok: false,
      code: "ID_NUMBER_LOGIN_NOT_ALLOWED",
      data: {},
      verified: true,
    });
    const wrong = await w.attempt("E98765432", "wrong");
    const unknown = await world().attempt("E11111111", "wrong");
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ code: "ACCOUNT_OR_PASSWORD_WRONG", verified: true });
    // …and the wrong try counts on that person, as by login name or phone.
    expect(await w.lockouts.check("password", "p-2", NOW)).toMatchObject({ attemptsLeft: 4 });
  });

  it("counts every try against the limits before anything else, and holds back wrong answers longer", async () => {
    const w = world();
    await w.attempt("nobody_here", "wrong");
    await w.attempt("E98765432", "wrong", true);
    await w.attempt("wangfang", "Passw0rd!x");
    expect(w.counted).toHaveLength(3);
    expect(w.counted[0]).toMatch(/^unknown:/);
    expect(w.counted.slice(1)).toEqual(["p-2", "p-1"]);
    const h = world();
    for (let i = 0; i < 6; i++) await h.attempt("wangfang", "wrong", i > 0);
    // four wrong, the fifth locks (held back like a wrong one), the sixth is refused at once
    expect(h.heldBack).toEqual([0, 1, 2, 3, 4]);
  });

  it("counts the three ways of typing one account against one lock", async () => {
    const w = world();
    await w.attempt("13900000001", "wrong");
    await w.attempt("wangfang", "wrong", true);
    const r = await w.attempt("320102198805123121", "wrong", true);
    expect(r).toMatchObject({ ok: false, code: "ACCOUNT_OR_PASSWORD_WRONG", data: { attemptsLeft: 2 } });
  });

  it("answers an unknown account like a wrong password, try by try, and checks a dummy hash", async () => {
    const known = world();
    const unknown = world();
    for (let i = 0; i < 6; i++) {
      const a = await known.attempt("13900000001", "wrong", i > 0);
      const b = await unknown.attempt("13911112222", "wrong", i > 0);
      expect(b).toEqual(a);
    }
  });

  it("checks no password while locked, and none without a captcha after a wrong one", async () => {
    const w = world();
    await w.attempt("wangfang", "wrong");
    expect(await w.attempt("wangfang", "Passw0rd!x")).toMatchObject({
      code: "CAPTCHA_REQUIRED",
      verified: false,
    });
    for (let i = 0; i < 4; i++) await w.attempt("wangfang", "wrong", true);
    expect(await w.attempt("wangfang", "Passw0rd!x", true)).toMatchObject({
      code: "ACCOUNT_LOCKED",
      verified: false,
      data: {
        minutesLeft: 120,
        links: [{ label: "忘记密码", url: "https://hub.example/web/forgot-password" }],
      },
    });
  });

  it("refuses a wrong captcha answer without spending a try", async () => {
    const w = world();
    const r = await passwordLogin(
      {
        db: people,
        lockouts: w.lockouts,
        captcha: new CaptchaService({ store: new MemoryOneUseStore(systemClock) }),
        publicUrl: "x",
        countTry: async () => {},
        holdBack: async () => {},
      },
      { account: "wangfang", password: "Passw0rd!x", captcha: { id: "A".repeat(22), answer: "K7MX" } },
      NOW,
    );
    expect(r).toEqual({
      ok: false,
      code: "CAPTCHA_EXPIRED",
      data: { captchaRequired: true },
      verified: false,
    });
    expect(await w.lockouts.check("password", "p-1", NOW)).toMatchObject({ kind: "open", attemptsLeft: 5 });
  });
});
