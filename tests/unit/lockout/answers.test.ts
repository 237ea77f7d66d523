import { describe, expect, it } from "vitest";
import {
  DECLARATION_RESETTERS,
  declarationRefusal,
  declarationResetLinks,
  passwordRefusal,
} from "../../../server/lockout/answers";
import { failLockout, reserveTry, UNLOCKED } from "../../../server/lockout/machine";
import { type ErrorCode, errorBody } from "../../../shared/errors";
import { ErrorMessage } from "../../../shared/protocol";

// What both locks answer, as the client receives it (an `error` message through the protocol's schema).

const now = new Date("2024-03-01T08:00:00.000Z");

const sent = (r: { code: ErrorCode; data: Record<string, unknown> }) =>
  ErrorMessage.parse({ type: "error", ...errorBody(r.code, r.data) });

describe("answers to a wrong login password", () => {
  it("tells the tries left and that a captcha comes next", () => {
    const r = passwordRefusal(failLockout(UNLOCKED, now).decision, "http://hub.test");
    const msg = sent(r);
    expect(msg).toMatchObject({ code: "ACCOUNT_OR_PASSWORD_WRONG", captchaRequired: true, attemptsLeft: 4 });
    expect(msg.message).toBe("账号或密码错误");
  });

  it("tells a lock's end, minutes left and the 忘记密码 link", () => {
    const r = passwordRefusal(
      failLockout({ failures: 4, lockedUntil: null }, now).decision,
      "http://hub.test/",
    );
    const msg = sent(r);
    expect(msg).toMatchObject({
      code: "ACCOUNT_LOCKED",
      minutesLeft: 120,
      lockedUntil: "2024-03-01T10:00:00.000Z",
      links: [{ label: "忘记密码", url: "http://hub.test/web/forgot-password" }],
    });
    expect(msg.message).toContain("120分钟");
  });
});

describe("answer to a try without the captcha that is due", () => {
  it("asks for the captcha and tells the tries left", () => {
    const r = passwordRefusal(
      reserveTry({ failures: 2, lockedUntil: null }, now, false).decision,
      "http://h",
    );
    expect(sent(r)).toMatchObject({
      code: "CAPTCHA_REQUIRED",
      message: "请输入验证码",
      captchaRequired: true,
      attemptsLeft: 3,
    });
  });
});

describe("answers to a wrong declaration password", () => {
  it("tells the tries left and that a captcha comes next", () => {
    const r = declarationRefusal(
      failLockout({ failures: 2, lockedUntil: null }, now).decision,
      "http://hub.test",
    );
    const msg = sent(r);
    expect(msg).toMatchObject({ code: "DECLARATION_PASSWORD_WRONG", captchaRequired: true, attemptsLeft: 2 });
  });

  it("names who can reset a lock and where, with the portal and app links", () => {
    const r = declarationRefusal(
      failLockout({ failures: 4, lockedUntil: null }, now).decision,
      "https://tax.example/",
    );
    const msg = sent(r);
    expect(msg).toMatchObject({
      code: "DECLARATION_LOCKED",
      lockedUntil: "2024-03-01T10:00:00.000Z",
      minutesLeft: 120,
      links: [
        { label: "个人所得税WEB端", url: "https://tax.example/web/declaration-password" },
        { label: "个人所得税APP", url: "https://tax.example/app/download" },
      ],
    });
    for (const who of Object.values(DECLARATION_RESETTERS)) expect(msg.message).toContain(who);
    expect(msg.message).toContain("办税大厅");
    expect(msg.message).toContain("120分钟");
  });

  it("gives the minutes left of a lock already running", () => {
    const locked = { failures: 5, lockedUntil: new Date(now.getTime() + 30 * 60_000 + 1) };
    expect(declarationRefusal(failLockout(locked, now).decision, "http://h").data).toMatchObject({
      minutesLeft: 31,
    });
  });

  it("asks for the captcha that is due after a wrong declaration password", () => {
    const r = declarationRefusal(
      reserveTry({ failures: 1, lockedUntil: null }, now, false).decision,
      "http://h",
    );
    expect(r).toEqual({ code: "CAPTCHA_REQUIRED", data: { captchaRequired: true, attemptsLeft: 4 } });
  });

  it("offers the same two links on 「忘记申报密码」", () => {
    expect(declarationResetLinks("http://h:8080").map((l) => l.url)).toEqual([
      "http://h:8080/web/declaration-password",
      "http://h:8080/app/download",
    ]);
  });
});
