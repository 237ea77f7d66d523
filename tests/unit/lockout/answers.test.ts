import { describe, expect, it } from "vitest";
import { passwordRefusal } from "../../../server/lockout/answers";
import { failLockout, reserveTry, UNLOCKED } from "../../../server/lockout/machine";
import { errorBody } from "../../../shared/errors";
import { ErrorMessage } from "../../../shared/protocol";

const now = new Date("2024-03-01T08:00:00.000Z");

describe("answers to a wrong login password", () => {
  it("tells the tries left and that a captcha comes next", () => {
    const r = passwordRefusal(failLockout(UNLOCKED, now).decision, "http://hub.test");
    const msg = ErrorMessage.parse({ type: "error", ...errorBody(r.code, r.data) });
    expect(msg).toMatchObject({ code: "ACCOUNT_OR_PASSWORD_WRONG", captchaRequired: true, attemptsLeft: 4 });
    expect(msg.message).toBe("账号或密码错误");
  });

  it("tells a lock's end, minutes left and the 忘记密码 link", () => {
    const r = passwordRefusal(
      failLockout({ failures: 4, lockedUntil: null }, now).decision,
      "http://hub.test/",
    );
    const msg = ErrorMessage.parse({ type: "error", ...errorBody(r.code, r.data) });
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
    expect(ErrorMessage.parse({ type: "error", ...errorBody(r.code, r.data) })).toMatchObject({
      code: "CAPTCHA_REQUIRED",
      message: "请输入验证码",
      captchaRequired: true,
      attemptsLeft: 3,
    });
  });
});
