import { fail, ok, type RuleResult } from "./result";

/** seed 2.1, as the forms show it under the field. */
export const PASSWORD_HINT = "密码由8-15位的字母大小写、数字、特殊字符其中三种或以上组成，不允许空格。";

export interface PasswordClasses {
  upper: boolean;
  lower: boolean;
  digit: boolean;
  /** Printable ASCII punctuation: ! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~ */
  special: boolean;
}

const SPECIAL = /[!-/:-@[-`{-~]/;

/** Which of the four kinds a password holds, for the form's checklist. */
export function passwordClasses(s: string): PasswordClasses {
  return { upper: /[A-Z]/.test(s), lower: /[a-z]/.test(s), digit: /\d/.test(s), special: SPECIAL.test(s) };
}

/**
 * seed 2.1: 8–15 characters, at least three of upper case, lower case, digits and special characters, no
 * spaces. Only printable ASCII: a full-width letter or a Chinese character is refused (PASSWORD_CHARS)
 * rather than hashed, since the soft keyboard cannot type it again. Never trimmed or changed.
 */
export function checkPassword(s: string): RuleResult {
  if (/\s/.test(s)) return fail("PASSWORD_WHITESPACE");
  if (!/^[!-~]*$/.test(s)) return fail("PASSWORD_CHARS");
  if (s.length < 8 || s.length > 15) return fail("PASSWORD_LENGTH");
  const kinds = Object.values(passwordClasses(s)).filter(Boolean).length;
  if (kinds < 3) return fail("PASSWORD_CLASSES");
  return ok(s);
}
