import { maskName } from "../../shared/mask";
import type { Bus } from "../bus";
import { hashToken } from "../kernel/tokens";
import { findPersonById } from "../people/store";
import { API_SESSION_KINDS } from "../sessions/caller";
import { SESSION_ENDED_TOPIC, SessionEndedNotice } from "../sessions/notify";
import { touch } from "../sessions/rules";
import { type SessionStore, TOUCH_EVERY_MS } from "../sessions/store";
import type { Queryable } from "../store";
import type { PhoneRef } from "./ticket";

// Who is holding the phone: the person behind the app's (or portal's) session token, as the phone API
// asks before every scan and confirm.

export interface PhoneIdentity {
  personId: string;
  name: string;
}

export interface PhoneAuth {
  authenticate(bearerToken: string): Promise<PhoneIdentity | null>;
}

/** The phone as a ticket records it: its session as a hash, the person's name masked. */
export function phoneRef(bearerToken: string, who: PhoneIdentity): PhoneRef {
  return { session: hashToken(bearerToken), personId: who.personId, maskedName: maskName(who.name) };
}

/** DEVELOPMENT ONLY: logs a test identity in without a password (POST /api/app/dev-login). */
export interface DevLogin {
  login(personId?: string): Promise<{ token: string; who: PhoneIdentity } | null>;
}

interface Known {
  sessionId: string;
  who: PhoneIdentity;
  createdAt: Date;
  lastSeenAt: Date;
  /** When the whole look (session and person) was last made. */
  lookedAt: number;
}

/** Phones a node remembers (each entry is small); past this the oldest is forgotten. */
const KNOWN_MAX = 20_000;
/** A remembered phone is looked up the whole way again after this long (a renamed person shows). */
const KNOWN_FOR_MS = 10 * 60_000;

/**
 * The phone API's PhoneAuth (who scans a QR) over the same sessions. A phone scans and confirms in
 * quick steps, so each node remembers the live phone sessions it has looked up, by token hash: a
 * request then costs no statement, or one (`touchLive`) when `last_seen_at` is due, which also finds
 * a session that ended meanwhile. The deadlines (30 idle minutes, 8 hours) are checked here on every
 * request by the same rules; an ended session is forgotten on the `session.ended` notice every node
 * hears (and everything after a bus outage, when notices may have been lost).
 */
export class AppPhoneAuth implements PhoneAuth {
  private readonly known = new Map<string, Known>();
  private readonly hashOf = new Map<string, string>();

  constructor(
    private readonly db: Queryable,
    private readonly sessions: SessionStore,
    private readonly now: () => Date,
  ) {}

  /** Forgets ended sessions as every node is told of them. */
  async listen(bus: Bus): Promise<() => void> {
    bus.onRecover(() => this.forgetAll());
    return bus.subscribe(SESSION_ENDED_TOPIC, (payload) => {
      const notice = SessionEndedNotice.safeParse(safeJson(payload));
      if (!notice.success) return this.forgetAll(); // unreadable: be safe
      for (const id of notice.data.sessionIds) {
        const hash = this.hashOf.get(id);
        if (hash) this.forget(hash);
      }
    });
  }

  async authenticate(bearerToken: string): Promise<PhoneIdentity | null> {
    const hash = hashToken(bearerToken);
    const now = this.now();
    const k = this.known.get(hash);
    if (k) {
      const t = touch({ createdAt: k.createdAt, lastSeenAt: k.lastSeenAt, ended: null }, now);
      if (t.alive && now.getTime() - k.lookedAt < KNOWN_FOR_MS) {
        if (now.getTime() - k.lastSeenAt.getTime() < TOUCH_EVERY_MS) return k.who;
        if (await this.sessions.touchLive(k.sessionId, now)) {
          k.lastSeenAt = now;
          return k.who;
        }
      }
      this.forget(hash); // ended, past a deadline or old: the whole look decides (and records an expiry)
    }
    const look = await this.sessions.authenticate(bearerToken, API_SESSION_KINDS, now);
    if (!look.alive) return null;
    const person = await findPersonById(this.db, look.session.personId);
    if (!person) return null;
    const who = { personId: person.id, name: person.name };
    this.remember(hash, {
      sessionId: look.session.id,
      who,
      createdAt: look.session.createdAt,
      lastSeenAt: look.session.lastSeenAt,
      lookedAt: now.getTime(),
    });
    return who;
  }

  private remember(hash: string, k: Known): void {
    this.known.set(hash, k);
    this.hashOf.set(k.sessionId, hash);
    while (this.known.size > KNOWN_MAX) {
      const oldest = this.known.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  private forget(hash: string): void {
    const k = this.known.get(hash);
    this.known.delete(hash);
    if (k && this.hashOf.get(k.sessionId) === hash) this.hashOf.delete(k.sessionId);
  }

  private forgetAll(): void {
    this.known.clear();
    this.hashOf.clear();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
