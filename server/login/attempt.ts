import type { FailureDecision } from "./lockout";
import type { LockoutKind, LockoutStore } from "./lockout-store";

// One password try under the lockout, in the only safe order (diagram in ./lockout-store.ts):
// reserve the try (counted as wrong), verify, and refund it if the password was right.

export type AttemptResult =
  | { ok: true }
  /** Wrong password (counted), or refused unverified because the subject is locked. */
  | { ok: false; decision: FailureDecision };

/**
 * `verify` runs only if a try slot was granted. If it throws, the try stays counted (fail closed)
 * and the error propagates for the caller to answer INTERNAL.
 */
export async function guardedAttempt(
  store: LockoutStore,
  kind: LockoutKind,
  subjectId: string,
  now: Date,
  verify: () => Promise<boolean>,
): Promise<AttemptResult> {
  const reserved = await store.recordFailure(kind, subjectId, now);
  if (reserved.kind === "locked" && !reserved.justLocked) return { ok: false, decision: reserved };

  if (await verify()) {
    await store.clear(kind, subjectId, now);
    return { ok: true };
  }
  return { ok: false, decision: reserved };
}
