import { fail, ok, type RuleResult } from "./result";
import { halfWidthAlnum, MAX_INPUT } from "./text";

/**
 * A mainland mobile number: 11 digits, 1 then 3–9 (every carrier's block, virtual operators' 170/171 and
 * IoT 14x included). Accepts what people paste: a leading +86, 0086 or 86, spaces and hyphens
 * ("+86 138-1234-5678"), full-width digits. Returns the 11 digits.
 */
export function checkMobile(s: string): RuleResult {
  if (s.length > MAX_INPUT) return fail("MOBILE_INVALID");
  const compact = halfWidthAlnum(s)
    .replace(/[\s-]/g, "")
    .replace(/^\uFF0B/, "+");
  const digits = compact.replace(/^(\+86|0086|86)(?=1\d{10}$)/, "");
  return /^1[3-9]\d{9}$/.test(digits) ? ok(digits) : fail("MOBILE_INVALID");
}
