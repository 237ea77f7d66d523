import type { ErrorCode } from "../../shared/errors";
import type { CaptchaAnswer } from "../../shared/protocol";
import type { CaptchaService } from "../captcha/service";
import { hashToken } from "../kernel/tokens";
import { passwordRefusal } from "../lockout/answers";
import { guardedAttempt } from "../lockout/attempt";
import type { LockoutStore } from "../lockout/store";
import { verifyPassword } from "../people/passwords";
import { findPersonByAccount, type Person } from "../people/store";
import type { Queryable } from "../store";

// seed 1.1 账号密码登录, one function for every front: the client's socket, the phone app and the
// portal. One person is one account however it is typed (phone, login name, ID number), so all three
// share one lockout subject — the person's id — on every node.
//
//   account ─▶ person? ─▶ captcha (if one came) ─▶ guardedAttempt: reserve a try, verify, refund if right
//                 │
//                 └─ unknown: its own subject ("unknown:" + hash of what was typed) and a dummy hash,
//                    so it answers exactly like a wrong password, in the same time, locks included.

export interface PasswordLoginDeps {
  db: Queryable;
  lockouts: LockoutStore;
  captcha: CaptchaService;
  /** For the 忘记密码 link of a lock. */
  publicUrl: string;
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
  // seed 1.1: "注册时选择除居民身份证以外的证件类型，请使用登录名或手机号码登录".
  if (!lookup.found && lookup.reason === "id_number_not_allowed")
    return { ok: false, code: "ID_NUMBER_LOGIN_NOT_ALLOWED", data: {}, verified: false };

  let captchaSolved = false;
  if (input.captcha) {
    const checked = await deps.captcha.check("login", input.captcha, now);
    // A wrong or stale captcha spends no try; the client fetches a new image (captchaRequired).
    if (!checked.ok)
      return { ok: false, code: checked.code, data: { captchaRequired: true }, verified: false };
    captchaSolved = true;
  }

  const person = lookup.found ? lookup.person : null;
  const subject = person ? person.id : `unknown:${hashToken(input.account.trim())}`;
  let verified = false;
  const result = await guardedAttempt(deps.lockouts, "password", subject, now, captchaSolved, async () => {
    verified = true;
    return verifyPassword(person, input.password);
  });
  if (result.ok && lookup.found) return { ok: true, person: lookup.person, by: lookup.by };
  if (result.ok) throw new Error("an unknown account passed the password check");
  const refusal = passwordRefusal(result.decision, deps.publicUrl);
  return { ok: false, code: refusal.code, data: refusal.data, verified };
}
