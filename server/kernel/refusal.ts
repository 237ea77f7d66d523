import type { ErrorCode } from "../../shared/errors";

/** What a refusal may carry besides its code; the HTTP answer spreads it into the error body. */
export interface RefusalData {
  /** The input field at fault. */
  path?: string;
  attemptsLeft?: number;
  retryAfterS?: number;
}

/**
 * A request refused for a reason the person can act on: a stable code (its Chinese message from the
 * closed map, or a more precise one from a rule) and a few safe facts. Thrown through transactions,
 * so whatever they wrote is rolled back; anything else thrown is an internal error.
 */
export class Refused extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly data: RefusalData = {},
    /** A rule's own, more precise Chinese message; by default the map's. */
    readonly detail?: string,
  ) {
    super(code);
    this.name = "Refused";
  }
}

/** The value of a passed rule, or a refusal naming the field. */
export function must<T>(
  result: { ok: true; value: T } | { ok: false; code: ErrorCode; message: string },
  path: string,
): T {
  if (!result.ok) throw new Refused(result.code, { path }, result.message);
  return result.value;
}
