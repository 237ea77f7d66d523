// The lockout machine, shared by the handler's login password and each company's declaration
// password. Pure: no clock, no store; the caller passes `now` and persists the state.
//
// seed 1.1:   "密码错误超过5次（含）后会被锁定，可以在120分钟之后再试"
// seed 1.3.1: "申报密码输错超过5次（含）后会被锁定，可以在120分钟之后再试"
// Both also say a wrong password means the next tries need a captcha.

/** seed 1.1 / 1.3.1: the 5th consecutive wrong password (included) locks. */
export const MAX_FAILURES = 5;
/** seed 1.1 / 1.3.1: locked for 120 minutes. */
export const LOCK_MINUTES = 120;
export const LOCK_MS = LOCK_MINUTES * 60_000;

export interface LockoutState {
  /** Consecutive wrong passwords since the last success, reset or lapsed lock. */
  failures: number;
  /** Set at the 5th failure; the subject is locked while now < lockedUntil. */
  lockedUntil: Date | null;
}

export const UNLOCKED: LockoutState = Object.freeze({ failures: 0, lockedUntil: null });

/** failure: a wrong password; success: a right one; reset: 忘记密码 / 重置申报密码 lifts everything. */
export type LockoutEvent = "failure" | "success" | "reset";

export type LockoutDecision =
  /** May try; after a wrong one the next try needs a captcha. */
  | { kind: "open"; captchaRequired: boolean; attemptsLeft: number }
  /** This wrong password was counted; not locked yet. */
  | { kind: "wrong"; captchaRequired: true; attemptsLeft: number }
  /** Refusal. `justLocked`: this very failure was the 5th, so the attempt itself did run. */
  | { kind: "locked"; justLocked: boolean; lockedUntil: Date; minutesLeft: number };

/** What a counted failure can answer: wrong (tries left) or locked. */
export type FailureDecision = Exclude<LockoutDecision, { kind: "open" }>;

/** What reserving a try can answer: a failure decision, or "solve a captcha first" (nothing counted). */
export type TryDecision =
  | FailureDecision
  | { kind: "captcha_required"; captchaRequired: true; attemptsLeft: number };

export interface LockoutStep<D = LockoutDecision> {
  state: LockoutState;
  decision: D;
}

/** Whole minutes left of a lock, rounded up: 1 second left still reads "1 minute". */
export function minutesLeft(lockedUntil: Date, now: Date): number {
  return Math.max(0, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
}

/** A lock that has run its 120 minutes is gone, and its failures with it. */
function lapse(state: LockoutState, now: Date): LockoutState {
  if (state.lockedUntil && now.getTime() >= state.lockedUntil.getTime()) return UNLOCKED;
  return state;
}

function locked(
  state: LockoutState & { lockedUntil: Date },
  now: Date,
  justLocked: boolean,
): FailureDecision {
  return {
    kind: "locked",
    justLocked,
    lockedUntil: state.lockedUntil,
    minutesLeft: minutesLeft(state.lockedUntil, now),
  };
}

/** Where the subject stands before a try: locked, or open (with or without captcha). */
export function inspectLockout(state: LockoutState, now: Date): LockoutStep {
  const s = lapse(state, now);
  if (s.lockedUntil) return { state: s, decision: locked({ ...s, lockedUntil: s.lockedUntil }, now, false) };
  return {
    state: s,
    decision: { kind: "open", captchaRequired: s.failures > 0, attemptsLeft: MAX_FAILURES - s.failures },
  };
}

/** One event. A locked subject stays locked on a failure or even a success; only `reset` lifts it early. */
export function stepLockout(state: LockoutState, event: LockoutEvent, now: Date): LockoutStep {
  const s = lapse(state, now);
  if (event === "failure") return failLockout(s, now);
  if (event === "success" && s.lockedUntil) {
    return { state: s, decision: locked({ ...s, lockedUntil: s.lockedUntil }, now, false) };
  }
  return { state: UNLOCKED, decision: { kind: "open", captchaRequired: false, attemptsLeft: MAX_FAILURES } };
}

/** A wrong password: counted unless already locked; the 5th locks for 120 minutes. */
export function failLockout(state: LockoutState, now: Date): LockoutStep<FailureDecision> {
  const s = lapse(state, now);
  if (s.lockedUntil) return { state: s, decision: locked({ ...s, lockedUntil: s.lockedUntil }, now, false) };
  const failures = s.failures + 1;
  if (failures >= MAX_FAILURES) {
    const next = { failures, lockedUntil: new Date(now.getTime() + LOCK_MS) };
    return { state: next, decision: locked(next, now, true) };
  }
  return {
    state: { failures, lockedUntil: null },
    decision: { kind: "wrong", captchaRequired: true, attemptsLeft: MAX_FAILURES - failures },
  };
}

/**
 * Before verifying a password: refuse if locked; refuse (uncounted) if a wrong password came before
 * and no captcha was solved for this try; else count the try as a failure, to be refunded by a
 * `success` if the password turns out right (see ./lockout-store.ts).
 */
export function reserveTry(state: LockoutState, now: Date, captchaSolved: boolean): LockoutStep<TryDecision> {
  const s = lapse(state, now);
  if (!s.lockedUntil && s.failures > 0 && !captchaSolved) {
    return {
      state: s,
      decision: { kind: "captcha_required", captchaRequired: true, attemptsLeft: MAX_FAILURES - s.failures },
    };
  }
  return failLockout(s, now);
}

/**
 * Locks at once, as if the 5th wrong password had just come: when enough distinct people with no link to
 * a company have each locked themselves out of it (server/company/strangers.ts). A lock already running
 * is kept as it is. `justLocked` tells whether this call set it.
 */
export function lockNow(state: LockoutState, now: Date): LockoutStep<FailureDecision> {
  const s = lapse(state, now);
  if (s.lockedUntil) return { state: s, decision: locked({ ...s, lockedUntil: s.lockedUntil }, now, false) };
  const next = { failures: MAX_FAILURES, lockedUntil: new Date(now.getTime() + LOCK_MS) };
  return { state: next, decision: locked(next, now, true) };
}
