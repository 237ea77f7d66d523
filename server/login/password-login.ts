import type { ErrorCode } from "../../shared/errors";
import type { CaptchaAnswer } from "../../shared/protocol";
import type { CaptchaService } from "../captcha/service";
import { hashToken } from "../kernel/tokens";
import { passwordRefusal } from "../lockout/answers";
import { guardedAttempt } from "../lockout/attempt";
import { MAX_FAILURES } from "../lockout/machine";
import type { LockoutStore } from "../lockout/store";
import { verifyPassword } from "../people/passwords";
import { findPersonByAccount, type Person } from "../people/store";
import type { Queryable } from "../store";

// seed 1.1 账号密码登录, one function for every front: the client's socket, the phone app and the
// portal. One person is one account however it is typed (phone, login name, ID number), so all three
// share one lockout subject — the person's id — on every node.
//
//   account ─▶ person? ─▶ limits (per IP, per account) ─▶ captcha (if one came) ─▶ guardedAttempt:
//                 │        reserve a try, verify, refund if right ─▶ wrong: the answer waits (progressive)
//                 │
//                 ├─ unknown: its own subject ("unknown:" + hash of what was typed) and a dummy hash,
//                 │  so it answers exactly like a wrong password, in the same time, locks included.
//                 └─ a registered ID number of a type that logs in by name or phone only: a try on that
//                    person like any other; only the right password hears ID_NUMBER_LOGIN_NOT_ALLOWED, so
//                    the answer says nothing about which numbers are registered.

export interface PasswordLoginDeps {
  db: Queryable;
  lockouts: LockoutStore;
  captcha: CaptchaService;
  /** For the 忘记密码 link of a lock. */
  publicUrl: string;
  /** Counts this try against the per-IP and per-account limits (./limits.ts); throws RATE_LIMITED. */
  countTry(accountKey: string): Promise<void>;
  /** Holds a wrong password's answer back, longer after more recent failures (./limits.ts). */
  holdBack(failuresBefore: number): Promise<void>;
}

export interface PasswordLoginInput {
  account: string;
  password: string;
  captcha?: CaptchaAnswer | undefined;
}

export type PasswordLoginResult =
  | { ok: true; person: Person; by: "phone" | "login_name" | "id_number" }
  | {
      ok: false;
      code: ErrorCode;
      data: Record<string, unknown>;
      /** The password was checked (a try was spent on it), for the audit log. */
      verified: boolean;
    };

export async function passwordLogin(
  deps: PasswordLoginDeps,
  input: PasswordLoginInput,
  now: Date,
): Promise<PasswordLoginResult> {
  const lookup = await findPersonByAccount(deps.db, input.account);
  const person = lookup.found || lookup.reason === "id_number_not_allowed" ? lookup.person : null;
  const subject = person ? person.id : `unknown:${hashToken(input.account.trim())}`;
  // Every try counts, whatever it will answer: unknown, wrong, disallowed and right alike.
  await deps.countTry(subject);

  let captchaSolved = false;
  if (input.captcha) {
    const checked = await deps.captcha.check("login", input.captcha, now);
    // A wrong or stale captcha spends no try; the client fetches a new image (captchaRequired).
    if (!checked.ok)
      return { ok: false, code: checked.code, data: { captchaRequired: true }, verified: false };
    captchaSolved = true;
  }

  let verified = false;
  const result = await guardedAttempt(deps.lockouts, "password", subject, now, captchaSolved, async () => {
    verified = true;
    return verifyPassword(person, input.password);
  });
  if (result.ok) {
    if (lookup.found) return { ok: true, person: lookup.person, by: lookup.by };
    // seed 1.1: "注册时选择除居民身份证以外的证件类型，请使用登录名或手机号码登录" — told only to whoever knows the password.
    if (person) return { ok: false, code: "ID_NUMBER_LOGIN_NOT_ALLOWED", data: {}, verified };
    throw new Error("an unknown account passed the password check");
  }
  const d = result.decision;
  if (d.kind === "wrong") await deps.holdBack(MAX_FAILURES - d.attemptsLeft - 1);
  else if (d.kind === "locked" && d.justLocked) await deps.holdBack(MAX_FAILURES - 1);
  const refusal = passwordRefusal(d, deps.publicUrl);
  return { ok: false, code: refusal.code, data: refusal.data, verified };
}
