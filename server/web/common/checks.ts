import { checkDeclarationPassword } from "../../../shared/rules/declaration-password";
import { HAN_CLASS } from "../../../shared/rules/han";
import { checkLoginName } from "../../../shared/rules/login-name";
import { checkPassword, passwordClasses } from "../../../shared/rules/password";
import { codePointLength } from "../../../shared/rules/text";

// The seed's login-name and password rules (2.1 注意事项) as checklists: each rule on its own line, so a
// person sees which one the value breaks while typing. The verdict is the shared rule's own (`valid`);
// the lines only explain it.

export interface Check {
  label: string;
  ok: boolean;
}

export interface Checklist {
  checks: Check[];
  valid: boolean;
}

const LOGIN_NAME_CHARS = new RegExp(`^[A-Za-z0-9_${HAN_CLASS}]*$`, "u");

/** seed 2.1: "登录名应为2-16位字符，可由大小写字母、数字、中文、下划线构成，不支持纯数字，字母需区分大小写". */
export function loginNameChecklist(value: string): Checklist {
  const name = value.trim().normalize("NFC");
  const length = codePointLength(name);
  return {
    checks: [
      { label: "2-16位字符", ok: length >= 2 && length <= 16 },
      { label: "可由大小写字母、数字、中文、下划线构成", ok: name.length > 0 && LOGIN_NAME_CHARS.test(name) },
      { label: "不支持纯数字", ok: name.length > 0 && !/^\d+$/.test(name) },
    ],
    valid: checkLoginName(value).ok,
  };
}

/** seed 2.1: "密码由8-15位的字母大小写、数字、特殊字符其中三种或以上组成，不允许空格". */
export function passwordChecklist(value: string): Checklist {
  const kinds = Object.values(passwordClasses(value)).filter(Boolean).length;
  const checks = [
    { label: "8-15位", ok: value.length >= 8 && value.length <= 15 },
    { label: "字母大写、字母小写、数字、特殊字符其中三种或以上", ok: kinds >= 3 },
    { label: "不允许空格", ok: value.length > 0 && !/\s/.test(value) },
  ];
  // Full-width letters or Chinese characters: allowed by none of the lines above, so say it.
  if (/[^\s!-~]/.test(value)) checks.push({ label: "只能使用字母、数字和英文特殊字符", ok: false });
  return { checks, valid: checkPassword(value).ok };
}

/** The declaration password (申报密码): 8–20 upper or lower case letters and digits, no spaces. */
export function declarationPasswordChecklist(value: string): Checklist {
  return {
    checks: [
      { label: "8-20位", ok: value.length >= 8 && value.length <= 20 },
      { label: "由大小写字母和数字组成，不含空格", ok: /^[A-Za-z0-9]+$/.test(value) },
    ],
    valid: checkDeclarationPassword(value).ok,
  };
}

/** The seed's interval between two SMS codes to one phone. */
export const SMS_RESEND_S = 60;

/**
 * Whole seconds from `now` until the hub's `at`, within 0…60: the phone's clock may be off from the
 * hub's, and the interval is never longer than 60 s (a resend asked too soon is refused with the exact
 * seconds left anyway). A missing or bad time waits the full interval.
 */
export function secondsUntil(at: string | undefined, now: number, max = SMS_RESEND_S): number {
  const t = at ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(t)) return max;
  return Math.min(max, Math.max(0, Math.ceil((t - now) / 1000)));
}

/** A Beijing wall-clock time for people in China whatever the phone's zone: "2024-03-01 09:00:05". */
export { beijingTime } from "../../../shared/time";
