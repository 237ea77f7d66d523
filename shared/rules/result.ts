import { ERRORS, type ErrorCode } from "../errors";

/** What every rule answers: the normalized value, or the code and the Chinese text the UI shows as it is. */
export type RuleResult<T = string> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(code: ErrorCode): { ok: false; code: ErrorCode; message: string } {
  return { ok: false, code, message: ERRORS[code] };
}
