import type { TryDecision } from "./machine";
import type { LockoutKind, LockoutStore } from "./store";

// One password try under the lockout, in the only safe order (diagram in ./lockout-store.ts):
// reserve the try (counted as wrong), verify, and refund it if the password was right.

export type AttemptResult =
  | { ok: true }
  /** Wrong password (counted), or refused unverified: locked, or a captcha is due. */
  | { ok: false; decision: TryDecision };

/**
 * `captchaSolved`: a right captcha answer came with this try (CaptchaService.check said ok); `false`
 * when none came. A wrong or expired answer the caller refuses itself (CAPTCHA_WRONG / _EXPIRED) with
 * a new image, before coming here. `verify` runs only if a try slot was granted. If it throws, the
 * try stays counted (fail closed) and the error propagates for the caller to answer INTERNAL.
 */
export async function guardedAttempt(
  store: LockoutStore,
  kind: LockoutKind,
  subjectId: string,
  now: Date,
  captchaSolved: boolean,
  verify: () => Promise<boolean>,
): Promise<AttemptResult> {
  const reserved = await store.reserveTry(kind, subjectId, now, captchaSolved);
  if (reserved.kind === "captcha_required") return { ok: false, decision: reserved };
  if (reserved.kind === "locked" && !reserved.justLocked) return { ok: false, decision: reserved };

  if (await verify()) {
    await store.clear(kind, subjectId, now);
    return { ok: true };
  }
  return { ok: false, decision: reserved };
}
