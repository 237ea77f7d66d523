import { fail, ok, type RuleResult } from "./result";
import { MAX_INPUT, normalizeCode } from "./text";

// seed 2.1: "注册码有效期7天，由6位的数字、字母随机组成". Issued at the tax hall, read aloud or printed and typed
// by hand, so the alphabet leaves out what reads alike: 0/O, 1/I/L. 31 characters, 31^6 ≈ 8.9 × 10^8 codes.
export const HALL_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const HALL_CODE_LENGTH = 6;
/** seed 2.1: valid 7 days. */
export const HALL_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const SHAPE = new RegExp(`^[${HALL_CODE_ALPHABET}]{${HALL_CODE_LENGTH}}$`);

/** Trimmed, half-width, upper case: codes compare case-insensitively. */
export function normalizeHallCode(s: string): string {
  return normalizeCode(s);
}

export function checkHallCode(s: string): RuleResult {
  if (s.length > MAX_INPUT) return fail("HALL_CODE_FORMAT");
  const code = normalizeHallCode(s);
  return SHAPE.test(code) ? ok(code) : fail("HALL_CODE_FORMAT");
}

/** Whether a code issued at `issuedAt` has run out at `now` (seed 2.1: "若过期可再次申请"). */
export function isHallCodeExpired(issuedAt: Date, now: Date): boolean {
  return now.getTime() >= issuedAt.getTime() + HALL_CODE_TTL_MS;
}
