import type { Db, Queryable } from "../store";
import {
  type FailureDecision,
  inspectLockout,
  type LockoutDecision,
  type LockoutState,
  lockNow,
  reserveTry,
  type TryDecision,
  UNLOCKED,
} from "./machine";

// Where lockout state lives. The durable store (PGlite or PostgreSQL, table `lockouts`) is the
// only truth: locks must hold on every hub node and survive restarts. Redis is deliberately not
// used: a second copy could only disagree with the first, and tries come at human speed.
//
// The protocol (see `guardedAttempt` in ./attempt.ts): count the failure FIRST, refund on success.
//
//   node A / node B                  lockouts row (locked FOR UPDATE for ~1 ms)
//   ─────────────────                ─────────────────────────────────────────
//   reserveTry ────────────────────▶ locked?  → refuse, no verify, nothing counted
//                                    failures > 0 and no captcha solved? → refuse, nothing counted
//                                    else failures+1 (5th sets locked_until)
//   ◀──────── slot n of 5 ─────────┘
//   argon2 verify (no lock held)
//   right → clear ─────────────────▶ failures 0, locked_until null   (the refund)
//   wrong → nothing more: already counted; n = 5 means locked now
//
// Because the count is taken before the slow verify, at most 5 tries can be in flight or done
// between two successes, whatever the number of nodes: the 6th finds the row locked. Likewise only
// one captcha-less try gets through at a time: the next one already sees failures > 0. A node that
// dies mid-verify leaves its try counted (fail closed). While the 5th try is still being verified
// others are already told "locked"; if that 5th one is right, the clear lifts the lock.

export type LockoutKind = "password" | "declaration";

export interface LockoutStore {
  /** Read only: locked (with minutes left) or open (captcha needed after a wrong one). */
  check(kind: LockoutKind, subjectId: string, now: Date): Promise<LockoutDecision>;
  /**
   * Atomically: refuse if locked or if a captcha is due and none was solved, else count one failure.
   * Call BEFORE verifying the password (that is what makes it exact under concurrency); `clear`
   * refunds it when the password was right.
   */
  reserveTry(kind: LockoutKind, subjectId: string, now: Date, captchaSolved: boolean): Promise<TryDecision>;
  /** A right password, 忘记密码, or 重置申报密码: failures to zero, lock lifted; true if it was locked. */
  clear(kind: LockoutKind, subjectId: string, now: Date): Promise<boolean>;
  /** Locks at once for 120 minutes (a running lock is kept); `justLocked` if this call locked it. */
  lock(kind: LockoutKind, subjectId: string, now: Date): Promise<FailureDecision>;
  /** How many subjects whose id starts with `prefix` are locked now. */
  countLocked(kind: LockoutKind, prefix: string, now: Date): Promise<number>;
  /** Lifts every lock (and count) of the subjects whose id starts with `prefix`; how many there were. */
  clearPrefix(kind: LockoutKind, prefix: string, now: Date): Promise<number>;
}

interface Row {
  failures: number;
  locked_until: Date | string | null;
}

function toState(row: Row | undefined): LockoutState {
  if (!row) return UNLOCKED;
  return {
    failures: Number(row.failures),
    lockedUntil: row.locked_until ? new Date(row.locked_until) : null,
  };
}

/** PGlite or PostgreSQL: the pure machine runs between a SELECT … FOR UPDATE and the UPDATE. */
export class SqlLockoutStore implements LockoutStore {
  constructor(private readonly db: Db) {}

  async check(kind: LockoutKind, subjectId: string, now: Date): Promise<LockoutDecision> {
    const rows = await this.db.query<Row>(
      "SELECT failures, locked_until FROM lockouts WHERE subject_kind = $1 AND subject_id = $2",
      [kind, subjectId],
    );
    return inspectLockout(toState(rows[0]), now).decision;
  }

  reserveTry(kind: LockoutKind, subjectId: string, now: Date, captchaSolved: boolean): Promise<TryDecision> {
    return this.step(kind, subjectId, now, (state) => reserveTry(state, now, captchaSolved));
  }

  clear(kind: LockoutKind, subjectId: string, now: Date): Promise<boolean> {
    return clearLockout(this.db, kind, subjectId, now);
  }

  lock(kind: LockoutKind, subjectId: string, now: Date): Promise<FailureDecision> {
    return this.step(kind, subjectId, now, (state) => lockNow(state, now));
  }

  /** One step of a subject's lock: the row made sure of, then locked (every node's step on this
   *  subject queues here), stepped by the pure machine and written back, in one transaction. */
  private step<D>(
    kind: LockoutKind,
    subjectId: string,
    now: Date,
    machine: (state: LockoutState) => { state: LockoutState; decision: D },
  ): Promise<D> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO lockouts (subject_kind, subject_id, failures, locked_until, updated_at)
         VALUES ($1, $2, 0, NULL, $3) ON CONFLICT (subject_kind, subject_id) DO NOTHING`,
        [kind, subjectId, now],
      );
      const rows = await tx.query<Row>(
        "SELECT failures, locked_until FROM lockouts WHERE subject_kind = $1 AND subject_id = $2 FOR UPDATE",
        [kind, subjectId],
      );
      const { state, decision } = machine(toState(rows[0]));
      await tx.query(
        "UPDATE lockouts SET failures = $3, locked_until = $4, updated_at = $5 WHERE subject_kind = $1 AND subject_id = $2",
        [kind, subjectId, state.failures, state.lockedUntil, now],
      );
      return decision;
    });
  }

  async countLocked(kind: LockoutKind, prefix: string, now: Date): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lockouts
       WHERE subject_kind = $1 AND left(subject_id, length($2)) = $2 AND locked_until > $3`,
      [kind, prefix, now],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async clearPrefix(kind: LockoutKind, prefix: string, now: Date): Promise<number> {
    // An UPDATE, not a DELETE, for the reason clearLockout gives.
    const rows = await this.db.query(
      `UPDATE lockouts SET failures = 0, locked_until = NULL, updated_at = $3
       WHERE subject_kind = $1 AND left(subject_id, length($2)) = $2 AND (failures > 0 OR locked_until IS NOT NULL)
       RETURNING subject_id`,
      [kind, prefix, now],
    );
    return rows.length;
  }
}

/**
 * The one way a lock is lifted: by a right password (the refund), 忘记密码, the hall, or 重置申报密码 —
 * inside the caller's transaction when it passes `q`. An UPDATE, not a DELETE: a row that vanished
 * under a waiting SELECT … FOR UPDATE would read as "no row" there and need a retry loop.
 * Returns whether the subject was locked.
 */
export async function clearLockout(
  q: Queryable,
  kind: LockoutKind,
  subjectId: string,
  now: Date,
): Promise<boolean> {
  const rows = await q.query<{ was: Date | string | null }>(
    `UPDATE lockouts l SET failures = 0, locked_until = NULL, updated_at = $3
     FROM (SELECT subject_kind, subject_id, locked_until FROM lockouts
           WHERE subject_kind = $1 AND subject_id = $2 FOR UPDATE) old
     WHERE l.subject_kind = old.subject_kind AND l.subject_id = old.subject_id
     RETURNING old.locked_until AS was`,
    [kind, subjectId, now],
  );
  const was = rows[0]?.was;
  return !!was && new Date(was) > now;
}

/** Forgets the counters of these people and companies (the demo's reset). */
export async function forgetLockouts(q: Queryable, personIds: readonly string[], taxIds: readonly string[]) {
  await q.query(
    `DELETE FROM lockouts WHERE (subject_kind = 'password' AND subject_id = ANY($1::text[]))
       OR (subject_kind = 'declaration' AND subject_id = ANY($2::text[]))`,
    [personIds, taxIds],
  );
}

/** One process only (unit tests, tools): each call runs to completion before the next starts. */
export class MemoryLockoutStore implements LockoutStore {
  private readonly states = new Map<string, LockoutState>();

  async check(kind: LockoutKind, subjectId: string, now: Date): Promise<LockoutDecision> {
    return inspectLockout(this.states.get(`${kind}:${subjectId}`) ?? UNLOCKED, now).decision;
  }

  async reserveTry(
    kind: LockoutKind,
    subjectId: string,
    now: Date,
    captchaSolved: boolean,
  ): Promise<TryDecision> {
    const key = `${kind}:${subjectId}`;
    const { state, decision } = reserveTry(this.states.get(key) ?? UNLOCKED, now, captchaSolved);
    this.states.set(key, state);
    return decision;
  }

  async clear(kind: LockoutKind, subjectId: string, now: Date): Promise<boolean> {
    const key = `${kind}:${subjectId}`;
    const was = this.states.get(key)?.lockedUntil;
    this.states.delete(key);
    return !!was && was > now;
  }

  async lock(kind: LockoutKind, subjectId: string, now: Date): Promise<FailureDecision> {
    const key = `${kind}:${subjectId}`;
    const { state, decision } = lockNow(this.states.get(key) ?? UNLOCKED, now);
    this.states.set(key, state);
    return decision;
  }

  async countLocked(kind: LockoutKind, prefix: string, now: Date): Promise<number> {
    let n = 0;
    for (const [key, state] of this.states) {
      if (key.startsWith(`${kind}:${prefix}`) && state.lockedUntil && state.lockedUntil > now) n += 1;
    }
    return n;
  }

  async clearPrefix(kind: LockoutKind, prefix: string): Promise<number> {
    const keys = [...this.states.keys()].filter((k) => k.startsWith(`${kind}:${prefix}`));
    for (const k of keys) this.states.delete(k);
    return keys.length;
  }
}
