import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ClientMessage, HubToClient, PhoneTicketView } from "../../shared/protocol";
import { type Bus, BusUnavailable } from "../bus";
import { pastLimit } from "../bus/limiter";
import { maskToken } from "../events/masking";
import type { EventSink } from "../events/sink";
import { regionOf } from "../geo";
import type { Clock } from "../kernel/clock";
import { Deadlines } from "../kernel/deadlines";
import { Refusal } from "../kernel/refusal";
import { hashToken, newToken } from "../kernel/tokens";
import type { HubLimits } from "../limits";
import type { SessionIssuer } from "../sessions/issuer";
import type { Connection } from "../ws/connection";
import type { ClientSockets } from "../ws/server";
import { type Effect, equalConstantTime, issueTicket, type Step, step, type TicketEvent } from "./machine";
import { nearness } from "./nearness";
import { nextRotationAt, qrUrl, stampFits } from "./rotation";
import {
  changedTopic,
  type Gate,
  type Hint,
  LIMITED,
  parseHint,
  type TicketEmit,
  type TicketStore,
} from "./store";
import { isLive, type PhoneRef, type Ticket } from "./ticket";

// The QR capability's edge: socket handlers for the client, calls for the phone API, and the
// "look now" listener. Every change goes read → step() → compare-and-set → effects; nothing here
// decides what a ticket may do. The read is skipped when this node knows the ticket already (it
// wrote it, or a hint brought it): the compare-and-set refuses a stale copy and answers with the
// current one, and a step that would change nothing on a copy is checked again on a fresh read.

export interface QrServiceOptions {
  nodeId: string;
  publicUrl: string;
  ttlMs: number;
  limits: HubLimits;
  store: TicketStore;
  bus: Bus;
  events: EventSink;
  clock: Clock;
  sessions: SessionIssuer;
  sockets: ClientSockets;
  log: Logger;
}

/** A socket keeps at most this many tickets in view; older ones are simply forgotten (not cancelled). */
const HELD_PER_CONNECTION = 8;
const CAS_ATTEMPTS = 16;
/** Tickets a node keeps a copy of (its latest revision seen), at most; the oldest go first. */
const KNOWN_MAX = 10_000;

/** Where a step starts: a copy this node holds, a read already under way, or (null) a read now. */
type Start = Ticket | Promise<Ticket | null> | null;

export class QrService {
  /** Tickets whose client socket is on this node, by ticket id. */
  private readonly held = new Map<string, Connection>();
  /** The latest revision of each ticket this node read, wrote or was hinted, by id. */
  private readonly known = new Map<string, Ticket>();
  /** Each held live ticket's next QR rotation or else its expiry, on one timer for the whole node. */
  private readonly deadlines: Deadlines<string>;

  private constructor(private readonly o: QrServiceOptions) {
    this.deadlines = new Deadlines(o.clock, (id, at) => this.due(id, at));
  }

  static async start(o: QrServiceOptions): Promise<QrService> {
    const qr = new QrService(o);
    await o.bus.subscribe(changedTopic(o.nodeId), (payload) => qr.hinted(payload));
    o.bus.onRecover(() => {
      for (const id of qr.held.keys()) qr.lookSoon(id, null); // hints sent while Redis was away are lost
    });
    const s = o.sockets;
    s.registerHandler("qr.issue", (conn, msg) => qr.issue(conn, msg));
    s.registerHandler("qr.cancel", (conn, msg) => qr.cancelByClient(conn, msg));
    s.registerHandler("qr.redeem", (conn, msg) => qr.redeem(conn, msg));
    s.onHello((conn, hello) => (hello.resume?.ticket ? qr.resume(conn, hello.resume.ticket) : undefined));
    s.onClose((conn) => qr.detach(conn));
    s.onShutdown(() => qr.deadlines.stop());
    return qr;
  }

  // ── client side (socket) ──────────────────────────────────────────────────────────────────────

  async issue(conn: Connection, msg: ClientMessage<"qr.issue">): Promise<void> {
    const now = this.o.clock.now();
    if (msg.replaces && !conn.tickets.has(msg.replaces)) throw new Refusal("TICKET_NOT_FOUND");
    this.checkConnectionIssueLimit(conn, now);
    // The address's limit is hit with the ticket's write (one trip) — or before a 刷新, so a refused
    // one leaves the old QR standing.
    const perIp = this.issueGate(conn);
    if (msg.replaces) await this.passGate(conn, perIp, now);
    const id = newToken();
    const secret = newToken();
    if (msg.replaces) {
      // 刷新: the old ticket dies before the new one exists, so a client never has two alive.
      await this.transition(msg.replaces, { type: "replace", by: id }).catch((err) => {
        if (!(err instanceof Refusal)) throw err; // gone already: nothing to end
      });
      this.forget(conn, msg.replaces);
    }
    const { ticket, effects } = issueTicket(
      {
        id,
        secretHash: hashToken(secret),
        ttlMs: this.o.ttlMs,
        rotation: { everyMs: this.o.limits.qrRotateMs },
        asker: {
          label: conn.client?.label ?? "",
          version: conn.client?.version ?? "",
          ...(conn.client?.os ? { os: conn.client.os } : {}),
          ip: conn.ip,
          // 所在地 from the address (本机 / 内网 / province + city), never from what the client says.
          place: regionOf(conn.ip)?.label ?? null,
          origin: conn.origin,
        },
        holder: { node: this.o.nodeId, conn: conn.id },
      },
      now,
    );
    const created = await this.o.store.create(
      ticket,
      now,
      emitsOf(effects),
      msg.replaces ? undefined : perIp,
    );
    if (created === LIMITED) this.refuseIssue(conn);
    if (!created) throw new Error("ticket id collision");
    // No copy kept of a ticket that only waits (see remember): its expiry or 刷新 reads it first.
    this.hold(conn, ticket, "waiting");
    conn.send({
      type: "qr.ticket",
      ...ridOf(msg.rid),
      ticketId: id,
      secret,
      url: qrUrl(this.o.publicUrl, ticket, now),
      expiresAt: iso(ticket.expiresAt),
    });
  }

  async cancelByClient(conn: Connection, msg: ClientMessage<"qr.cancel">): Promise<void> {
    const r = await this.transition(msg.ticketId, {
      type: "cancel",
      by: "client",
      secretHash: hashToken(msg.secret),
    });
    if (r.error) throw new Refusal(r.error);
    const hold = conn.tickets.get(r.ticket.id);
    if (hold) hold.pushed = `${r.ticket.state}:`; // this reply is the push
    conn.send(this.stateMessage(r.ticket, null, msg.rid));
    this.forget(conn, r.ticket.id);
  }

  async redeem(conn: Connection, msg: ClientMessage<"qr.redeem">): Promise<void> {
    const r = await this.transition(msg.ticketId, {
      type: "redeem",
      secretHash: hashToken(msg.secret),
      grantHash: hashToken(msg.grant),
      conn: conn.id,
      sessionId: randomUUID(),
    });
    if (r.error) throw new Refusal(r.error);
    this.known.delete(msg.ticketId); // redeemed: nothing on this node steps it again but a resume
    await this.login(conn, r.effects, msg.ticketId, msg.rid);
  }

  /** hello with resume.ticket, on any node: take the ticket over and say its state at once — or, if
   *  it was redeemed but the client never heard the session (within the redeem window), a new one. */
  async resume(conn: Connection, ticket: { id: string; secret: string }): Promise<void> {
    const r = await this.transition(ticket.id, {
      type: "attach",
      secretHash: hashToken(ticket.secret),
      node: this.o.nodeId,
      conn: conn.id,
      sessionId: randomUUID(),
    });
    if (r.error) throw new Refusal(r.error);
    if (r.effects.some((e) => e.type === "login")) return this.login(conn, r.effects, ticket.id);
    this.hold(conn, r.ticket, null);
    await this.push(conn, r.ticket);
    // The QR it shows may be from an earlier period: the current content, at once.
    if (r.ticket.state === "waiting") this.sendRotated(conn, r.ticket);
  }

  /** The ticket was redeemed: the session the machine named, for the person who confirmed. */
  private async login(conn: Connection, effects: Effect[], ticketId: string, rid?: number): Promise<void> {
    const login = effects.find((e): e is Extract<Effect, { type: "login" }> => e.type === "login");
    if (!login) throw new Error("redeemed without a person");
    const issued = await this.o.sessions.issueClientSession(login.personId, "qr", {
      sessionId: login.sessionId,
      replaces: login.replaces,
    });
    this.forget(conn, ticketId);
    this.o.sockets.loggedIn(conn, { id: issued.sessionId, personId: login.personId, method: "qr" });
    conn.send({ type: "session", ...ridOf(rid), ...issued.session });
  }

  // ── phone side (HTTP) ─────────────────────────────────────────────────────────────────────────

  /** `at`: the phone as this request comes (its address); `stamp`: what the QR carried besides the id. */
  async view(id: string, phone: PhoneRef, at: PhoneAt): Promise<PhoneTicketView> {
    const t = await this.current(id);
    // A waiting ticket is shown only for its QR's current content: an old photo or link says so.
    if (t.state === "waiting" && !stampFits(t, at.stamp, this.o.clock.now()))
      throw new Refusal("TICKET_ROTATED");
    return this.phoneView(t, phone, at);
  }

  async scan(id: string, phone: PhoneRef, at: PhoneAt): Promise<PhoneTicketView> {
    // A phone scans a ticket this node has not seen: read it with the limit's count (one call).
    const perPhone = {
      key: `scan:${phone.session}`,
      max: this.o.limits.scansPerPhonePerMinute,
      windowMs: 60_000,
    };
    const now = this.o.clock.now();
    const copy = this.known.has(id);
    let reading: Ticket | null | typeof LIMITED = null; // with a copy, only the count
    if (!copy) reading = await this.o.store.gatedGet(id, perPhone, now);
    else if (await pastLimit(this.o.bus, perPhone, now)) reading = LIMITED;
    if (reading === LIMITED) {
      this.o.events.emit("limit.hit", { limit: "scansPerPhonePerMinute", phone: maskToken(phone.session) });
      throw new Refusal("RATE_LIMITED");
    }
    // From this node's copy, or from the ticket as just read (a fresh one: a refusal on it stands).
    const start = copy ? null : Promise.resolve(reading);
    return this.phoneStep(id, { type: "scan", phone, stamp: at.stamp }, phone, at, start);
  }

  /** The grant is minted with the confirmation and travels in the hint to the holder's node only,
   *  which pushes it without a write of its own; the ticket keeps its hash. */
  confirm(id: string, phone: PhoneRef, at: PhoneAt): Promise<PhoneTicketView> {
    const grant = newToken();
    const event: TicketEvent = { type: "confirm", phoneSession: phone.session, grantHash: hashToken(grant) };
    return this.phoneStep(id, event, phone, at, null, grant);
  }

  cancelByPhone(id: string, phone: PhoneRef, at: PhoneAt): Promise<PhoneTicketView> {
    return this.phoneStep(id, { type: "cancel", by: "phone", phoneSession: phone.session }, phone, at);
  }

  // ── the machine's edge ────────────────────────────────────────────────────────────────────────

  /** Step from what this node knows (else read), write if nobody moved it meanwhile (else step again
   *  from the ticket the refused write answered with); the step's events ride with the write. */
  private async transition(
    id: string,
    event: TicketEvent,
    start: Start = null,
    grant?: string,
  ): Promise<Step> {
    let fresh = start === null || start instanceof Promise;
    let current: Ticket | null =
      start === null
        ? (this.known.get(id) ?? null)
        : start instanceof Promise
          ? await start
          : this.newest(start);
    if (current === null && start === null) current = await this.o.store.get(id);
    else if (start === null) fresh = false; // a copy
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      if (!current) {
        this.known.delete(id);
        throw new Refusal("TICKET_NOT_FOUND");
      }
      const now = this.o.clock.now();
      const next = step(current, event, now);
      if (!next.changed) {
        if (!fresh) {
          // A refusal or no-op decided on a copy is decided again on the ticket as stored.
          current = await this.o.store.get(id);
          fresh = true;
          continue;
        }
        this.remember(current);
        return next;
      }
      const notify = next.effects.some((e) => e.type === "notify") ? next.ticket.holder.node : null;
      const emits = emitsOf(next.effects);
      const put = await this.o.store.update(next.ticket, current.rev, now, notify, emits, grant);
      if (!put.ok) {
        current = put.current;
        fresh = true;
        continue;
      }
      this.remember(next.ticket);
      return next;
    }
    this.o.log.warn({ event: event.type }, "ticket contended past every retry");
    throw new Refusal("UNAVAILABLE");
  }

  private async phoneStep(
    id: string,
    event: TicketEvent,
    phone: PhoneRef,
    at: PhoneAt,
    start: Start = null,
    grant?: string,
  ): Promise<PhoneTicketView> {
    const r = await this.transition(id, event, start, grant);
    if (r.error) throw new Refusal(r.error);
    return this.phoneView(r.ticket, phone, at);
  }

  /** The ticket as it is now (as read, or as a hint brought it): one past its TTL is expired (and
   *  stored so) before anyone sees it. */
  private async current(id: string, hinted: Ticket | null = null): Promise<Ticket> {
    const t = hinted ?? (await this.o.store.get(id));
    if (!t) throw new Refusal("TICKET_NOT_FOUND");
    if (!hinted && t.state !== "waiting") this.remember(t);
    if (isLive(t) && this.o.clock.now() >= t.expiresAt)
      return (await this.transition(id, { type: "expire" }, t)).ticket;
    return t;
  }

  /** Keeps this node's copy at the latest revision seen — of a ticket in flight: an ended one is
   *  dropped, and one merely read while it waits is not kept (tens of thousands wait per node, at
   *  ~0.5 KiB a copy; its next step, a scan, reads it alongside the limit count in the same trip). */
  private remember(t: Ticket): void {
    if (!isLive(t) && !(t.state === "confirmed" && t.redeemedAt === null)) {
      this.known.delete(t.id);
      return;
    }
    const had = this.known.get(t.id);
    if (had && had.rev > t.rev) return;
    this.known.delete(t.id); // to the newest end of the map's order
    this.known.set(t.id, t);
    if (this.known.size > KNOWN_MAX) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  /** `t`, or this node's copy of the same ticket if that is newer. */
  private newest(t: Ticket): Ticket {
    const had = this.known.get(t.id);
    return had && had.rev > t.rev ? had : t;
  }

  // ── pushing to the client ─────────────────────────────────────────────────────────────────────

  /** A hint carries the ticket as written (a bare id from a node of an older version: read it). */
  private hinted(payload: string): void {
    let hint: Hint | null = null;
    try {
      hint = parseHint(payload);
    } catch {
      hint = null;
    }
    if (hint && typeof hint.ticket?.id === "string") {
      this.remember(hint.ticket);
      this.lookSoon(hint.ticket.id, hint.ticket, hint.grant);
    } else this.lookSoon(payload, null);
  }

  /** A "ticket changed" hint (or a rotation, `rotate`): look at the ticket after whatever the socket
   *  is doing now — as the hint brought it (or this node's newer copy), or read (`null`: after an
   *  outage hints were lost; at a rotation the read also finds a ticket the store lost). */
  private lookSoon(id: string, hinted: Ticket | null, grant: string | null = null, rotate = false): void {
    const conn = this.held.get(id);
    if (!conn) return; // the client left this node; it will learn the state when it resumes
    conn.queue = conn.queue.then(async () => {
      try {
        if (!conn.open || this.held.get(id) !== conn) return;
        const t = await this.current(id, hinted ? this.newest(hinted) : null);
        await this.push(conn, t, grant);
        if (rotate && t.state === "waiting") this.sendRotated(conn, t);
      } catch (err) {
        if (err instanceof BusUnavailable) return; // looked at again when the bus is back
        if (err instanceof Refusal && err.code === "TICKET_NOT_FOUND") return this.vanished(conn, id);
        this.o.log.error({ err, conn: conn.id }, "qr push failed");
      }
    });
  }

  /** The store no longer has a ticket this client holds (Redis restarted empty, or was flushed): the
   *  client is told it expired, so it offers 刷新 — whether it was waiting or showing 扫描成功. */
  private vanished(conn: Connection, id: string): void {
    if (!conn.tickets.has(id)) return;
    this.forget(conn, id);
    this.o.events.emit("qr.vanished", { ticket: maskToken(id), conn: conn.id });
    conn.send({ type: "qr.state", ticketId: id, state: "expired", expiresAt: iso(this.o.clock.now()) });
  }

  private sendRotated(conn: Connection, t: Ticket): void {
    conn.send({ type: "qr.rotated", ticketId: t.id, url: qrUrl(this.o.publicUrl, t, this.o.clock.now()) });
  }

  /** Tells the client the ticket's state if it has not heard it. A confirmed ticket's grant came in
   *  the hint (minted with the confirmation, sent on this node's channel only); without one (a
   *  resume, a lost hint) it is minted here, by the node that holds the socket. */
  private async push(conn: Connection, ticket: Ticket, hintedGrant: string | null = null): Promise<void> {
    const hold = conn.tickets.get(ticket.id);
    if (!hold) return;
    let t = ticket;
    const pending = t.state === "confirmed" && t.redeemedAt === null && hold.grant === null;
    if (pending && hintedGrant && t.grantHash && equalConstantTime(t.grantHash, hashToken(hintedGrant)))
      hold.grant = hintedGrant;
    else if (pending) {
      const grant = newToken();
      const r = await this.transition(t.id, { type: "grant", grantHash: hashToken(grant) }, t);
      t = r.ticket;
      if (!r.error) hold.grant = grant;
    }
    const key = `${t.state}:${hold.grant ? "g" : ""}`;
    if (hold.pushed === key) return;
    hold.pushed = key;
    conn.send(this.stateMessage(t, hold.grant));
    if (t.state === "cancelled" || t.state === "expired") this.forget(conn, t.id);
  }

  private stateMessage(t: Ticket, grant: string | null, rid?: number): HubToClient {
    const confirmed = t.state === "confirmed";
    return {
      type: "qr.state",
      ...ridOf(rid),
      ticketId: t.id,
      state: t.state,
      ...(t.phone && (t.state === "scanned" || confirmed) ? { maskedName: t.phone.maskedName } : {}),
      ...(confirmed && grant ? { grant } : {}),
      expiresAt: iso(confirmed && t.redeemBy !== null ? t.redeemBy : t.expiresAt),
    };
  }

  private phoneView(t: Ticket, phone: PhoneRef, at: PhoneAt): PhoneTicketView {
    const phoneRegion = regionOf(at.ip);
    return {
      ticketId: t.id,
      state: t.state,
      asker: {
        client: t.asker.label,
        version: t.asker.version,
        ...(t.asker.os ? { os: t.asker.os } : {}),
        ip: t.asker.ip,
        place: t.asker.place,
        ...(t.asker.origin ? { origin: t.asker.origin } : {}),
        requestedAt: iso(t.issuedAt),
      },
      phone: { ip: at.ip, place: phoneRegion?.label ?? null },
      nearness: nearness(
        { ip: t.asker.ip, region: regionOf(t.asker.ip) },
        { ip: at.ip, region: phoneRegion },
      ),
      yours: t.phone?.session === phone.session,
      expiresAt: iso(t.expiresAt),
    };
  }

  // ── which socket holds which ticket ───────────────────────────────────────────────────────────

  /** Tickets this node's sockets hold that no phone has scanned yet (the `/metrics` gauge). */
  waitingHere(): number {
    let n = 0;
    for (const [id, conn] of this.held) {
      const pushed = conn.tickets.get(id)?.pushed ?? null;
      if (pushed === null || pushed.startsWith("waiting:")) n += 1;
    }
    return n;
  }

  private hold(conn: Connection, t: Ticket, pushedState: string | null): void {
    const existing = conn.tickets.get(t.id);
    const live = isLive(t);
    const expiresAt = live ? t.expiresAt : null;
    const turn = live ? nextRotationAt(t, this.o.clock.now()) : null;
    const rotateAt = turn !== null && turn < t.expiresAt ? turn : null;
    conn.tickets.set({
      id: t.id,
      grant: existing?.grant ?? null,
      pushed: pushedState === null ? null : `${pushedState}:`,
      expiresAt,
      rotateAt,
      rotateEveryMs: t.rotation?.everyMs ?? 0,
    });
    // A deadline already queued for the same instant still fits; only a new instant is queued.
    const next = nextDue(rotateAt, expiresAt);
    if (next !== null && (!existing || next !== nextDue(existing.rotateAt, existing.expiresAt)))
      this.deadlines.add(next, t.id);
    this.held.set(t.id, conn);
    while (conn.tickets.size > HELD_PER_CONNECTION) {
      const oldest = conn.tickets.ids()[0];
      if (oldest === undefined) break;
      this.forget(conn, oldest);
    }
  }

  /** A held ticket's next rotation or its TTL came (unless it ended or was held anew since):
   *  at a rotation the ticket is read (a lost ticket shows) and its new QR content pushed. */
  private due(id: string, at: number): void {
    const hold = this.held.get(id)?.tickets.get(id);
    if (!hold || hold.expiresAt === null) return;
    if (hold.rotateAt === at) {
      this.lookSoon(id, null, null, true);
      const late = Math.max(0, this.o.clock.now() - at);
      const next = at + (Math.floor(late / hold.rotateEveryMs) + 1) * hold.rotateEveryMs;
      hold.rotateAt = next < hold.expiresAt ? next : null;
      this.deadlines.add(nextDue(hold.rotateAt, hold.expiresAt) as number, id);
    } else if (hold.expiresAt === at) this.expireSoon(id);
  }

  /** The TTL is up: store the expiry; its hint brings the push (or, if the ticket is gone, a look). */
  private expireSoon(id: string): void {
    this.transition(id, { type: "expire" }).catch((err) => {
      if (err instanceof Refusal && err.code === "TICKET_NOT_FOUND") return this.lookSoon(id, null);
      if (!(err instanceof BusUnavailable) && !(err instanceof Refusal))
        this.o.log.error({ err }, "expiry failed");
    });
  }

  private forget(conn: Connection, id: string): void {
    conn.tickets.delete(id); // its deadlines find nothing held when they fire
    if (this.held.get(id) === conn) this.held.delete(id);
  }

  private detach(conn: Connection): void {
    for (const id of conn.tickets.ids()) this.forget(conn, id);
  }

  private checkConnectionIssueLimit(conn: Connection, now: number): void {
    if (conn.countInWindow("qr.issue", now) > this.o.limits.ticketsPerConnectionPerMinute) {
      this.o.events.emit("limit.hit", { limit: "ticketsPerConnectionPerMinute", conn: conn.id });
      throw new Refusal("TOO_MANY_TICKETS");
    }
  }

  private issueGate(conn: Connection): Gate {
    return { key: `issue:${conn.ip}`, max: this.o.limits.ticketsPerIpPerMinute, windowMs: 60_000 };
  }

  private async passGate(conn: Connection, gate: Gate, now: number): Promise<void> {
    if (await pastLimit(this.o.bus, gate, now)) this.refuseIssue(conn);
  }

  private refuseIssue(conn: Connection): never {
    this.o.events.emit("limit.hit", { limit: "ticketsPerIpPerMinute", conn: conn.id });
    throw new Refusal("TOO_MANY_TICKETS");
  }
}

/** A held ticket's next deadline: its next rotation, or else its expiry (null: not live). */
function nextDue(rotateAt: number | null, expiresAt: number | null): number | null {
  return rotateAt ?? expiresAt;
}

/** The events a step records, which ride with its write. */
function emitsOf(effects: Effect[]): TicketEmit[] {
  const out: TicketEmit[] = [];
  for (const e of effects) if (e.type === "emit") out.push({ kind: e.kind, data: e.data });
  return out;
}

/** Where a phone request comes from and what its QR carried besides the ticket id. */
export interface PhoneAt {
  ip: string;
  stamp: string | null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function ridOf(rid: number | undefined): { rid?: number } {
  return rid === undefined ? {} : { rid };
}
