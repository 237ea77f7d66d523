import type { EventSink } from "../events/sink";
import type { Queryable } from "../store";

/** Why a session ended (the protocol's SessionEndReason). */
export type SessionEndReason = "logout" | "expired" | "password_reset" | "authorization_revoked" | "replaced";

/** Ends every open session of a person; returns the ids ended (announce them after commit). */
export async function endSessions(
  q: Queryable,
  personId: string,
  reason: SessionEndReason,
  now: Date,
): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `UPDATE sessions SET ended_at = $2, end_reason = $3
     WHERE person_id = $1 AND ended_at IS NULL RETURNING id`,
    [personId, now, reason],
  );
  return rows.map((r) => r.id);
}

/** Tells the socket layer to close these sessions' connections. */
export function announceEnded(events: EventSink, personId: string, ids: string[], reason: SessionEndReason) {
  for (const sessionId of ids) events.emit("session.ended", { sessionId, personId, reason });
}

/** Lifts a password or declaration-password lock and forgets the failures; true if it was locked. */
export async function clearLockout(
  q: Queryable,
  kind: "password" | "declaration",
  subjectId: string,
  now: Date,
): Promise<boolean> {
  const rows = await q.query<{ locked_until: Date | null }>(
    "DELETE FROM lockouts WHERE subject_kind = $1 AND subject_id = $2 RETURNING locked_until",
    [kind, subjectId],
  );
  const until = rows[0]?.locked_until;
  return !!until && until > now;
}

/**
 * Sets a new login password: the lock is lifted and every session ends (seed 1.1: 【忘记密码】 unlocks).
 * Used by the forgot-password flow and the hall's reset. Returns the ended session ids.
 */
export async function replacePassword(
  q: Queryable,
  personId: string,
  passwordHash: string,
  now: Date,
): Promise<{ ended: string[]; wasLocked: boolean }> {
  await q.query("UPDATE people SET password_hash = $2, password_changed_at = $3 WHERE id = $1", [
    personId,
    passwordHash,
    now,
  ]);
  const wasLocked = await clearLockout(q, "password", personId, now);
  const ended = await endSessions(q, personId, "password_reset", now);
  return { ended, wasLocked };
}
