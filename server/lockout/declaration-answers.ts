import type { TryDecision } from "./machine";

// What the client is told after a declaration password try goes wrong, ready for
// `errorBody(code, data)`. seed 1.3.1: a lock names who can reset it — "由税务登记的法定代表人或者财务经理
// 通过个人所得税APP和WEB渠道，或者前往办税大厅进行重置" (the DECLARATION_LOCKED message says it) —
// and 「忘记申报密码」 offers the web portal link and a QR for the app.

/** The portal's page where the legal representative or finance manager resets it (企业办税权限). */
export const PORTAL_RESET_PATH = "/web/declaration-password";
/** The phone pages (个人所得税APP stand-in); the client draws this URL as a QR. */
export const APP_PATH = "/app/download";

/** Who may reset a company's declaration password, in the seed's words. */
export const DECLARATION_RESETTERS = { legalRep: "法定代表人", financeManager: "财务经理" } as const;

export interface Link {
  label: string;
  url: string;
}

/** 「忘记申报密码」: the web portal link and the app (shown as a QR). */
export function declarationResetLinks(publicUrl: string): Link[] {
  const base = publicUrl.replace(/\/$/, "");
  return [
    { label: "个人所得税WEB端", url: `${base}${PORTAL_RESET_PATH}` },
    { label: "个人所得税APP", url: `${base}${APP_PATH}` },
  ];
}

export type DeclarationRefusal =
  | {
      code: "DECLARATION_PASSWORD_WRONG" | "CAPTCHA_REQUIRED";
      data: { captchaRequired: true; attemptsLeft: number };
    }
  | {
      code: "DECLARATION_LOCKED";
      data: { lockedUntil: string; minutesLeft: number; links: Link[] };
    };

/** A wrong declaration password (tries left, captcha next), a captcha due, or the lock with reset links. */
export function declarationRefusal(decision: TryDecision, publicUrl: string): DeclarationRefusal {
  if (decision.kind !== "locked") {
    return {
      code: decision.kind === "wrong" ? "DECLARATION_PASSWORD_WRONG" : "CAPTCHA_REQUIRED",
      data: { captchaRequired: true, attemptsLeft: decision.attemptsLeft },
    };
  }
  return {
    code: "DECLARATION_LOCKED",
    data: {
      lockedUntil: decision.lockedUntil.toISOString(),
      minutesLeft: decision.minutesLeft,
      links: declarationResetLinks(publicUrl),
    },
  };
}
