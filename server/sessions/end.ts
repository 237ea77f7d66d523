import type { z } from "zod";
import type { SessionEndReason as Reasons } from "../../shared/protocol/login";
import type { EventSink } from "../events/sink";
import type { Queryable } from "../store";
import type { SessionEndNotifier } from "./notify";

export type SessionEndReason = z.infer<typeof Reasons>;

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

/** Reports the ended sessions, and closes their sockets on every hub node (through the bus). */
export async function announceEnded(
  to: { events?: EventSink | undefined; notifier?: SessionEndNotifier | undefined },
  personId: string,
  ids: string[],
  reason: SessionEndReason,
): Promise<void> {
  for (const sessionId of ids) to.events?.emit("session.ended", { sessionId, personId, reason });
  if (ids.length > 0) await to.notifier?.sessionsEnded(ids, reason);
}
