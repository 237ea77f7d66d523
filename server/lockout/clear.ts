import type { Queryable } from "../store";

// The lockouts table belongs to the login / company flows; accounts only ever lift a lock.

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
