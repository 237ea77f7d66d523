import type { ErrorCode } from "../../shared/errors";

/**
 * The one refusal type of the hub: a request refused for a reason the person can act on — a stable
 * code (its Chinese message from shared/errors, or a rule's more precise one) and a few safe facts
 * (the field at fault, tries left, lock links…). The socket answers it as `error`, HTTP as errorBody()
 * with the status from server/http/status.ts. Thrown through transactions, so whatever they wrote is
 * rolled back; anything else thrown is an internal error.
 */
export class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly data: Record<string, unknown> = {},
    /** A rule's own, more precise Chinese message; by default the map's. */
    readonly detail?: string,
  ) {
    super(code);
    this.name = "Refusal";
  }
}

/** The value of a passed rule, or a refusal naming the field. */
export function must<T>(
  result: { ok: true; value: T } | { ok: false; code: ErrorCode; message: string },
  path: string,
): T {
  if (!result.ok) throw new Refusal(result.code, { path }, result.message);
  return result.value;
}
