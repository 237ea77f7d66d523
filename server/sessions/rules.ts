import type { z } from "zod";
import type { SessionEndReason } from "../../shared/protocol";

// A logged-in handler's session. The client holds an opaque random token; the store keeps only its
// SHA-256 (`hashToken`) and looks sessions up by it. Pure rules below; the store persists the state.

/** Idle for this long and the session ends: an office PC left unlocked. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** No session outlives a working day, however busy. */
export const SESSION_MAX_MS = 8 * 60 * 60_000;

export type EndReason = z.infer<typeof SessionEndReason>;

export interface SessionState {
  createdAt: Date;
  lastSeenAt: Date;
  /** Set once; an ended session never comes back. */
  ended: { reason: EndReason; at: Date } | null;
}

export function startSession(now: Date): SessionState {
  return { createdAt: now, lastSeenAt: now, ended: null };
}

/** The absolute end: createdAt + 8 h. */
export function expiresAt(s: SessionState): Date {
  return new Date(s.createdAt.getTime() + SESSION_MAX_MS);
}

/** When idleness ends it: lastSeenAt + 30 min, never past the absolute end. */
export function idleExpiresAt(s: SessionState): Date {
  return new Date(Math.min(s.lastSeenAt.getTime() + SESSION_IDLE_MS, expiresAt(s).getTime()));
}

/** Ended, or past either deadline (the deadline itself counts as expired). */
export function isExpired(s: SessionState, now: Date): boolean {
  return s.ended !== null || now.getTime() >= idleExpiresAt(s).getTime();
}

export type TouchResult =
  | { alive: true; state: SessionState; idleExpiresAt: Date; expiresAt: Date }
  | { alive: false; state: SessionState; reason: EndReason };

/** The handler did something: extend the idle deadline, or end the session as expired. */
export function touch(s: SessionState, now: Date): TouchResult {
  if (s.ended) return { alive: false, state: s, reason: s.ended.reason };
  if (isExpired(s, now)) {
    const state = endSession(s, "expired", now);
    return { alive: false, state, reason: "expired" };
  }
  const state = { ...s, lastSeenAt: now };
  return { alive: true, state, idleExpiresAt: idleExpiresAt(state), expiresAt: expiresAt(state) };
}

/** logout, password_reset, authorization_revoked, replaced, expired. The first reason sticks. */
export function endSession(s: SessionState, reason: EndReason, now: Date): SessionState {
  return s.ended ? s : { ...s, ended: { reason, at: now } };
}
