import { HAN_CLASS } from "./han";
import { fail, ok, type RuleResult } from "./result";
import { codePointLength, MAX_INPUT } from "./text";

/** seed 2.1, as the forms show it under the field. */
export const LOGIN_NAME_HINT =
  "登录名应为2-16位字符，可由大小写字母、数字、中文、下划线构成，不支持纯数字，字母需区分大小写。";

const ALLOWED = new RegExp(`^[A-Za-z0-9_${HAN_CLASS}]*$`, "u");

/**
 * seed 2.1: 2–16 characters of letters (case kept: "Zhang" and "zhang" are two names), digits, Chinese
 * characters and underscore; not digits only (a digit string reads as a phone or ID number at login).
 * Characters are code points, so a rare character outside the BMP (𠀀) is one. NFC first, so a
 * compatibility ideograph and its unified twin are the same name; surrounding spaces are dropped.
 */
export function checkLoginName(s: string): RuleResult {
  if (s.length > MAX_INPUT) return fail("LOGIN_NAME_LENGTH");
  const name = s.trim().normalize("NFC");
  if (!ALLOWED.test(name)) return fail("LOGIN_NAME_CHARS");
  const length = codePointLength(name);
  if (length < 2 || length > 16) return fail("LOGIN_NAME_LENGTH");
  if (/^\d+$/.test(name)) return fail("LOGIN_NAME_DIGITS_ONLY");
  return ok(name);
}
