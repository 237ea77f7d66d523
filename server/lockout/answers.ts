import type { TryDecision } from "./machine";

// What a person is told after a password try goes wrong, for both locks, ready for
// `errorBody(code, data)`: the login password (seed 1.1: "可以在120分钟之后再试，也可以通过【忘记密码】功能
// 解锁账号") and a company's declaration password (seed 1.3.1: a lock names who can reset it —
// "由税务登记的法定代表人或者财务经理通过个人所得税APP和WEB渠道，或者前往办税大厅进行重置" — and
// 「忘记申报密码」 offers the web portal link and a QR for the app).

/** The web portal's password recovery (忘记密码), which also lifts the lock. */
export const PORTAL_FORGOT_PASSWORD_PATH = "/web/forgot-password";

export interface Link {
  label: string;
  url: string;
}

interface Refusal<Wrong extends string, Locked extends string, L> {
  wrong: { code: Wrong | "CAPTCHA_REQUIRED"; data: { captchaRequired: true; attemptsLeft: number } };
  locked: { code: Locked; data: { lockedUntil: string; minutesLeft: number; links: L[] } };
}

/** Both locks answer alike: wrong (tries left, captcha next), a captcha due, or locked with the ways out. */
function refusalOf<W extends string, K extends string, L>(
  decision: TryDecision,
  codes: { wrong: W; locked: K },
  links: L[],
): LockRefusal<W, K, L> {
  if (decision.kind !== "locked") {
    return {
      code: decision.kind === "wrong" ? codes.wrong : "CAPTCHA_REQUIRED",
      data: { captchaRequired: true, attemptsLeft: decision.attemptsLeft },
    };
  }
  return {
    code: codes.locked,
    data: { lockedUntil: decision.lockedUntil.toISOString(), minutesLeft: decision.minutesLeft, links },
  };
}

/** A lock's answer: wrong (tries left, captcha next) or a captcha due, else locked with its ways out. */
type LockRefusal<W extends string, K extends string, L> =
  | Refusal<W, K, L>["wrong"]
  | Refusal<W, K, L>["locked"];

export type PasswordRefusal = LockRefusal<"ACCOUNT_OR_PASSWORD_WRONG", "ACCOUNT_LOCKED", Link>;

/**
 * Unknown account and wrong password must read the same: give unknown accounts a lockout subject of
 * their own (e.g. "unknown:" + hash of the typed account) and a dummy hash to verify.
 */
export function passwordRefusal(decision: TryDecision, publicUrl: string): PasswordRefusal {
  const forgot = { label: "忘记密码", url: `${publicUrl.replace(/\/$/, "")}${PORTAL_FORGOT_PASSWORD_PATH}` };
  return refusalOf(decision, { wrong: "ACCOUNT_OR_PASSWORD_WRONG", locked: "ACCOUNT_LOCKED" }, [forgot]);
}

// ── the declaration password ─────────────────────────────────────────────────────────────────

/** The portal's page where the legal representative or finance manager resets it (企业办税权限). */
export const PORTAL_RESET_PATH = "/web/declaration-password";
/** The phone pages (个人所得税APP stand-in); the client draws this URL as a QR. */
export const APP_PATH = "/app/download";

/** Who may reset a company's declaration password, in the seed's words. */
export const DECLARATION_RESETTERS = { legalRep: "法定代表人", financeManager: "财务经理" } as const;

/** 「忘记申报密码」: the web portal link and the app (shown as a QR). */
export function declarationResetLinks(publicUrl: string): Link[] {
  const base = publicUrl.replace(/\/$/, "");
  return [
    { label: "个人所得税WEB端", url: `${base}${PORTAL_RESET_PATH}` },
    { label: "个人所得税APP", url: `${base}${APP_PATH}` },
  ];
}

export type DeclarationRefusal = LockRefusal<"DECLARATION_PASSWORD_WRONG", "DECLARATION_LOCKED", Link>;

/** A wrong declaration password (tries left, captcha next), a captcha due, or the lock with reset links. */
export function declarationRefusal(decision: TryDecision, publicUrl: string): DeclarationRefusal {
  const codes = { wrong: "DECLARATION_PASSWORD_WRONG", locked: "DECLARATION_LOCKED" } as const;
  return refusalOf(decision, codes, declarationResetLinks(publicUrl));
}
