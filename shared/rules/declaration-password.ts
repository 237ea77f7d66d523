import { fail, ok, type RuleResult } from "./result";

/**
 * The company's declaration password (申报密码, seed 1.3): public guides of the real system give 8–20 upper or
 * lower case letters and digits, no spaces. Never trimmed or changed.
 */
export function checkDeclarationPassword(s: string): RuleResult {
  return /^[A-Za-z0-9]{8,20}$/.test(s) ? ok(s) : fail("DECLARATION_PASSWORD_FORMAT");
}
