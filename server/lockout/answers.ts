import type { TryDecision } from "./machine";

// What the client is told after a login password try goes wrong, ready for `errorBody(code, data)`.
// seed 1.1: "可以在120分钟之后再试，也可以通过【忘记密码】功能解锁账号".

/** The web portal's password recovery (忘记密码), which also lifts the lock. */
export const PORTAL_FORGOT_PASSWORD_PATH = "/web/forgot-password";

export type PasswordRefusal =
  | {
      code: "ACCOUNT_OR_PASSWORD_WRONG" | "CAPTCHA_REQUIRED";
      data: { captchaRequired: true; attemptsLeft: number };
    }
  | {
      code: "ACCOUNT_LOCKED";
      data: { lockedUntil: string; minutesLeft: number; links: { label: string; url: string }[] };
    };

/**
 * Unknown account and wrong password must read the same: give unknown accounts a lockout subject of
 * their own (e.g. "unknown:" + hash of the typed account) and a dummy hash to verify.
 */
export function passwordRefusal(decision: TryDecision, publicUrl: string): PasswordRefusal {
  if (decision.kind !== "locked") {
    return {
      code: decision.kind === "wrong" ? "ACCOUNT_OR_PASSWORD_WRONG" : "CAPTCHA_REQUIRED",
      data: { captchaRequired: true, attemptsLeft: decision.attemptsLeft },
    };
  }
  return {
    code: "ACCOUNT_LOCKED",
    data: {
      lockedUntil: decision.lockedUntil.toISOString(),
      minutesLeft: decision.minutesLeft,
      links: [{ label: "忘记密码", url: `${publicUrl.replace(/\/$/, "")}${PORTAL_FORGOT_PASSWORD_PATH}` }],
    },
  };
}
