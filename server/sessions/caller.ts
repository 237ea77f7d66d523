import { Refusal } from "../kernel/refusal";
import { findPersonById, type Person } from "../people/store";
import type { Queryable } from "../store";
import type { SessionKind, SessionRecord, SessionStore } from "./store";

// Who calls the app / portal API: the person behind `Authorization: Bearer <token>`, an 'app' or
// 'portal' session of the store (both fronts use the same API and the same rules).

export const API_SESSION_KINDS: readonly SessionKind[] = ["app", "portal"];

export interface Caller {
  session: SessionRecord;
  person: Person;
}

export function bearerOf(header: string | undefined): string | null {
  return /^Bearer ([A-Za-z0-9_-]{22,64})$/.exec(header ?? "")?.[1] ?? null;
}

/** The caller, or NOT_LOGGED_IN (no or unknown token) / SESSION_EXPIRED (it ended or timed out). */
export async function callerOf(
  db: Queryable,
  sessions: SessionStore,
  header: string | undefined,
  now: Date,
): Promise<Caller> {
  const token = bearerOf(header);
  if (!token) throw new Refusal("NOT_LOGGED_IN");
  const look = await sessions.authenticate(token, API_SESSION_KINDS, now);
  if (!look.alive) throw new Refusal(look.reason === "unknown" ? "NOT_LOGGED_IN" : "SESSION_EXPIRED");
  const person = await findPersonById(db, look.session.personId);
  if (!person) throw new Refusal("NOT_LOGGED_IN");
  return { session: look.session, person };
}
