import type { Logger } from "pino";
import { maskName } from "../../shared/mask";
import { SESSION_END_MESSAGES } from "../../shared/protocol";
import type { EventSink } from "../events/sink";
import type { Clock } from "../kernel/clock";
import { dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { findPersonById } from "../people/store";
import type { Db } from "../store";
import { audit } from "../store/audit";
import type { Connection, ConnectionSession } from "../ws/connection";
import type { ClientSockets } from "../ws/server";
import { sessionPayload } from "./issuer";
import type { SessionEndNotifier } from "./notify";
import type { EndReason } from "./rules";
import type { SessionLook, SessionStore } from "./store";

// A client socket's session, as the store keeps it: every step after login reads it (and counts as
// activity); an idle timer ends it when nobody does; a reconnecting client resumes it with its token.
//
//   login / QR / resume ──▶ watched: at the idle deadline, look again ─▶ still alive? look later
//                                                                     └▶ ended: session.ended + close
//   any step ──▶ live(): alive → go on; ended (here, on another node, by the hall…) → session.ended + close

export interface SessionSocketDeps {
  nodeId: string;
  db: Db;
  sessions: SessionStore;
  notifier: SessionEndNotifier;
  events: EventSink;
  clock: Clock;
  log: Logger;
  /** The company a resumed session had entered (its name for company.entered), if it still exists. */
  companyOf(taxId: string): Promise<{ taxId: string; name: string } | null>;
}

const IDLE_TIMER = Symbol("handshake.idleTimer");

export class ClientSessions {
  constructor(
    private readonly d: SessionSocketDeps,
    private readonly sockets: ClientSockets,
  ) {}

  /**
   * The socket's session, if it still lives (and it did something: the idle deadline moves). One that
   * ended while the socket was open — elsewhere, or with no notice reaching this node — ends here too.
   */
  async live(conn: Connection): Promise<ConnectionSession> {
    const s = conn.session;
    if (!s) throw new Refusal("NOT_LOGGED_IN");
    const look = await this.d.sessions.touch(s.id, dateOf(this.d.clock));
    if (look.alive) return s;
    this.endHere(conn, endReason(look));
    throw new Refusal("SESSION_EXPIRED"); // not sent: the socket is closing
  }

  /** onLogin: look at the session again when its idle deadline comes. */
  watch(conn: Connection): void {
    const s = conn.session;
    if (!s) return;
    this.arm(conn, s.id, this.d.clock.now() + 30 * 60_000);
  }

  unwatch(conn: Connection): void {
    (conn.locals.get(IDLE_TIMER) as (() => void) | undefined)?.();
    conn.locals.delete(IDLE_TIMER);
  }

  /** hello with resume.session: logged in again (and back on its company), or SESSION_EXPIRED. */
  async resume(conn: Connection, token: string): Promise<void> {
    const now = dateOf(this.d.clock);
    const look = await this.d.sessions.authenticate(token, ["client"], now);
    const person = look.alive ? await findPersonById(this.d.db, look.session.personId) : null;
    if (!look.alive || !person) {
      const reason = look.alive ? "unknown" : look.reason;
      this.d.events.emit("session.refused", { conn: conn.id, reason });
      await audit(this.d, { actor: `ip:${conn.ip}`, action: "session.resume", outcome: "SESSION_EXPIRED" });
      throw new Refusal("SESSION_EXPIRED");
    }
    const s = look.session;
    const company = s.taxId && s.companyVia ? await this.d.companyOf(s.taxId) : null;
    const method = s.method ?? "password";
    this.sockets.loggedIn(conn, {
      id: s.id,
      personId: s.personId,
      method,
      company:
        company && s.companyVia ? { taxId: company.taxId, name: company.name, via: s.companyVia } : null,
    });
    conn.send({
      type: "session",
      ...sessionPayload(token, method, person, look.idleExpiresAt, look.expiresAt),
    });
    if (conn.session?.company) conn.send({ type: "company.entered", ...conn.session.company });
    this.d.events.emit("session.resumed", { conn: conn.id, person: maskName(person.name) });
    await audit(this.d, { actor: `person:${s.personId}`, action: "session.resume", outcome: "ok" });
  }

  /** 退出: this socket is told at once; any other socket of the session, on any node, by the bus. */
  async logout(conn: Connection, rid?: number): Promise<void> {
    const s = conn.session;
    if (!s) throw new Refusal("NOT_LOGGED_IN");
    conn.session = null;
    this.unwatch(conn);
    await this.d.sessions.end(s.id, "logout", dateOf(this.d.clock));
    conn.send({
      type: "session.ended",
      ...(rid === undefined ? {} : { rid }),
      reason: "logout",
      message: SESSION_END_MESSAGES.logout,
    });
    await this.d.notifier.sessionsEnded([s.id], "logout");
    const person = await findPersonById(this.d.db, s.personId);
    this.d.events.emit("session.logout", { channel: "client", person: maskName(person?.name ?? "") });
    await audit(this.d, { actor: `person:${s.personId}`, action: "logout", outcome: "ok" });
  }

  endHere(conn: Connection, reason: EndReason): void {
    this.unwatch(conn);
    this.sockets.endConnection(conn, reason);
  }

  private arm(conn: Connection, sessionId: string, at: number): void {
    this.unwatch(conn);
    const cancel = this.d.clock.setTimer(at - this.d.clock.now(), () => {
      conn.queue = conn.queue.then(() => this.lookAgain(conn, sessionId)).catch(() => {});
    });
    conn.locals.set(IDLE_TIMER, cancel);
  }

  private async lookAgain(conn: Connection, sessionId: string): Promise<void> {
    if (!conn.open || conn.session?.id !== sessionId) return;
    let look: SessionLook;
    try {
      look = await this.d.sessions.peek(sessionId, dateOf(this.d.clock));
    } catch (err) {
      // The store is away: look again in a minute rather than end a session we cannot see.
      this.d.log.warn({ err: (err as Error).message }, "idle check failed");
      return this.arm(conn, sessionId, this.d.clock.now() + 60_000);
    }
    if (look.alive) return this.arm(conn, sessionId, look.idleExpiresAt.getTime());
    const reason = endReason(look);
    const personId = conn.session.personId;
    this.endHere(conn, reason);
    if (reason !== "expired") return; // ended elsewhere: that step wrote its own audit row
    const person = await findPersonById(this.d.db, personId);
    this.d.events.emit("session.expired", { conn: conn.id, person: maskName(person?.name ?? "") });
    await audit(this.d, { actor: `person:${personId}`, action: "session.expire", outcome: "ok" });
  }
}

function endReason(look: Extract<SessionLook, { alive: false }>): EndReason {
  return look.reason === "unknown" ? "expired" : look.reason;
}
