import type { ErrorCode } from "../../shared/errors";
import type { EventData } from "../../shared/events";
import { maskIp, maskToken } from "../events/masking";
import { stampFits } from "./rotation";
import type { PhoneRef, Ticket, TicketEnd } from "./ticket";

// seed 1.2 扫码登录 — the QR ticket as a pure machine: (ticket, event, now) → { ticket, effects, error }.
// No I/O: the service reads the ticket, steps it, writes it back only if nobody moved it meanwhile.
//
//              scan (phone P)               confirm (P, + grant)
//   waiting ─────────────────▶ scanned ─────────────────▶ confirmed ─ grant ─▶ a new grant for the client
//      │                          │                          │                 (by the node holding its socket,
//      │                          │                          │                  when it has none: a resume)
//      │ cancel (client)          │ cancel (client or P)     └─ redeem(secret, grant) ─▶ redeemed, once
//      │ replace (refresh)        │ replace (refresh)             (attach(secret) after that, within the
//      ▼                          ▼                                redeem window: a new session)
//   cancelled ◀───────────────────┘
//   expired   ◀── now ≥ expiresAt while waiting or scanned (checked first, before every event)
//
//   confirmed, cancelled and expired are final: no event moves the state again.
//   A waiting ticket is scanned only with its QR's current content (server/qr/rotation.ts); a confirm
//   repeated by the phone that confirmed (its answer was lost) is answered as it was the first time.

/** After the phone confirms, the client has this long to redeem its grant (a node dying and the
 *  client reconnecting elsewhere fits well inside). */
export const REDEEM_WINDOW_MS = 60_000;

export type TicketEvent =
  /** `stamp`: what the scanned QR carried besides the ticket id (null: nothing). */
  | { type: "scan"; phone: PhoneRef; stamp?: string | null }
  /** `grantHash`: a grant minted with the confirmation, which the hint carries to the holder's node
   *  (so it pushes without another write); without one, the holder mints it (`grant`). */
  | { type: "confirm"; phoneSession: string; grantHash?: string }
  | { type: "cancel"; by: "phone"; phoneSession: string }
  | { type: "cancel"; by: "client"; secretHash: string }
  | { type: "replace"; by: string }
  | { type: "expire" }
  /** A client reconnecting (to any node) with the ticket's secret takes it over. `sessionId` is the id
   *  a new session would get if the ticket was redeemed already (see `attach`). */
  | { type: "attach"; secretHash: string; node: string; conn: string; sessionId: string }
  /** The holder's node mints the grant it pushes; only the latest minted grant redeems. */
  | { type: "grant"; grantHash: string }
  /** `sessionId`: the id the login session will have, recorded in the ticket. */
  | { type: "redeem"; secretHash: string; grantHash: string; conn: string; sessionId: string };

export type QrEventKind =
  | "qr.issued"
  | "qr.scanned"
  | "qr.confirmed"
  | "qr.redeemed"
  | "qr.cancelled"
  | "qr.expired"
  | "qr.replaced"
  | "qr.resumed";

export type Effect =
  /** Tell the node holding the client's socket to look at the ticket now. */
  | { type: "notify" }
  | { type: "emit"; kind: QrEventKind; data: EventData }
  /** Redeemed: the client gets its login session for this person, with this id; `replaces` is the
   *  session an earlier redemption issued that never reached the client (it ends). */
  | { type: "login"; personId: string; sessionId: string; replaces: string | null };

export interface Step {
  ticket: Ticket;
  changed: boolean;
  effects: Effect[];
  error?: ErrorCode;
}

export interface NewTicket {
  id: string;
  secretHash: string;
  ttlMs: number;
  rotation?: Ticket["rotation"];
  asker: Ticket["asker"];
  holder: Ticket["holder"];
}

export function issueTicket(t: NewTicket, now: number): { ticket: Ticket; effects: Effect[] } {
  const ticket: Ticket = {
    id: t.id,
    rev: 0,
    secretHash: t.secretHash,
    state: "waiting",
    endedBy: null,
    issuedAt: now,
    expiresAt: now + t.ttlMs,
    asker: t.asker,
    holder: t.holder,
    phone: null,
    confirmedAt: null,
    grantHash: null,
    redeemBy: null,
    redeemedAt: null,
    sessionId: null,
    ...(t.rotation ? { rotation: t.rotation } : {}),
  };
  const data = {
    ticket: maskToken(t.id),
    conn: t.holder.conn,
    client: t.asker.label,
    ip: maskIp(t.asker.ip),
    ttlS: Math.round(t.ttlMs / 1000),
  };
  return { ticket, effects: [{ type: "emit", kind: "qr.issued", data }] };
}

export function step(ticket: Ticket, event: TicketEvent, now: number): Step {
  const settled = settle(ticket, now);
  const next = apply(settled.ticket, event, now);
  const changed = settled.changed || next.changed;
  return {
    ticket: changed ? { ...next.ticket, rev: ticket.rev + 1 } : ticket,
    changed,
    effects: [...settled.effects, ...next.effects],
    ...(next.error ? { error: next.error } : {}),
  };
}

/** Time first: a waiting or scanned ticket past its TTL is expired whatever else happens. */
function settle(ticket: Ticket, now: number): Step {
  if (isFinal(ticket) || now < ticket.expiresAt) return same(ticket);
  return moved({ ...ticket, state: "expired", endedBy: "expired" }, [
    { type: "notify" },
    emit("qr.expired", { ticket: maskToken(ticket.id), was: ticket.state }),
  ]);
}

function apply(t: Ticket, e: TicketEvent, now: number): Step {
  switch (e.type) {
    case "scan":
      return scan(t, e.phone, e.stamp ?? null, now);
    case "confirm":
      return confirm(t, e.phoneSession, now, e.grantHash ?? null);
    case "cancel":
      return e.by === "phone" ? cancelByPhone(t, e.phoneSession) : cancelByClient(t, e.secretHash);
    case "replace":
      if (isFinal(t)) return same(t);
      return moved(end(t, "replaced"), [
        emit("qr.replaced", { ticket: maskToken(t.id), by: maskToken(e.by) }),
      ]);
    case "expire":
      return same(t); // settle() did the work, if any
    case "attach":
      return attach(t, e, now);
    case "grant":
      return grant(t, e.grantHash, now);
    case "redeem":
      return redeem(t, e, now);
  }
}

function scan(t: Ticket, phone: PhoneRef, stamp: string | null, now: number): Step {
  if (t.state === "waiting") {
    if (!stampFits(t, stamp, now)) return refused(t, "TICKET_ROTATED");
    return moved({ ...t, state: "scanned", phone }, [
      { type: "notify" },
      emit("qr.scanned", {
        ticket: maskToken(t.id),
        person: phone.maskedName,
        phone: maskToken(phone.session),
      }),
    ]);
  }
  if (t.state === "scanned")
    return t.phone?.session === phone.session ? same(t) : refused(t, "TICKET_ALREADY_SCANNED");
  return refused(t, endCode(t));
}

function confirm(t: Ticket, phoneSession: string, now: number, grantHash: string | null): Step {
  // The same phone asking again (its answer was lost): it confirmed, so it is told so again.
  if (t.state === "confirmed" && t.phone?.session === phoneSession) return same(t);
  if (isFinal(t)) return refused(t, endCode(t));
  if (t.state === "waiting") return refused(t, "WRONG_STEP");
  if (t.phone?.session !== phoneSession) return refused(t, "TICKET_ALREADY_SCANNED");
  const confirmed: Ticket = { ...t, state: "confirmed", confirmedAt: now, redeemBy: now + REDEEM_WINDOW_MS };
  return moved(grantHash ? { ...confirmed, grantHash } : confirmed, [
    { type: "notify" },
    emit("qr.confirmed", { ticket: maskToken(t.id), person: t.phone?.maskedName ?? null }),
  ]);
}

function cancelByPhone(t: Ticket, phoneSession: string): Step {
  if (isFinal(t)) return refused(t, endCode(t));
  if (t.state === "waiting") return refused(t, "WRONG_STEP");
  if (t.phone?.session !== phoneSession) return refused(t, "TICKET_ALREADY_SCANNED");
  return moved(end(t, "phone"), [
    { type: "notify" },
    emit("qr.cancelled", { ticket: maskToken(t.id), by: "phone" }),
  ]);
}

/** The client leaves QR mode. Cancelling an ended ticket changes nothing and is no error. */
function cancelByClient(t: Ticket, secretHash: string): Step {
  if (!equalConstantTime(t.secretHash, secretHash)) return refused(t, "TICKET_SECRET_WRONG");
  if (isFinal(t)) return same(t);
  return moved(end(t, "client"), [
    { type: "notify" },
    emit("qr.cancelled", { ticket: maskToken(t.id), by: "client" }),
  ]);
}

/**
 * A reconnecting client takes its ticket over. If it was redeemed already but the client may never
 * have heard the answer (its worker or node died between qr.redeem and session), the secret's holder
 * gets a new session within the redeem window, and the one it never received ends.
 */
function attach(t: Ticket, e: Extract<TicketEvent, { type: "attach" }>, now: number): Step {
  if (!equalConstantTime(t.secretHash, e.secretHash)) return refused(t, "TICKET_SECRET_WRONG");
  const data = { ticket: maskToken(t.id), state: t.state, conn: e.conn };
  const holder = { node: e.node, conn: e.conn };
  if (t.redeemedAt === null) return moved({ ...t, holder }, [emit("qr.resumed", data)]);
  if (t.phone === null || t.redeemBy === null || now >= t.redeemBy) return refused(t, "TICKET_USED");
  const login: Effect = {
    type: "login",
    personId: t.phone.personId,
    sessionId: e.sessionId,
    replaces: t.sessionId ?? null,
  };
  return moved({ ...t, holder, sessionId: e.sessionId }, [login, emit("qr.resumed", data)]);
}

function grant(t: Ticket, grantHash: string, now: number): Step {
  if (t.state !== "confirmed")
    return refused(t, t.state === "scanned" || t.state === "waiting" ? "WRONG_STEP" : endCode(t));
  if (t.redeemedAt !== null) return refused(t, "TICKET_USED");
  if (t.redeemBy !== null && now >= t.redeemBy) return refused(t, "TICKET_EXPIRED");
  return moved({ ...t, grantHash }, []);
}

// Every check comes before the one destructive step; each failure has its own code and changes nothing.
function redeem(t: Ticket, e: Extract<TicketEvent, { type: "redeem" }>, now: number): Step {
  if (!equalConstantTime(t.secretHash, e.secretHash)) return refused(t, "TICKET_SECRET_WRONG");
  if (t.state === "waiting" || t.state === "scanned") return refused(t, "WRONG_STEP");
  if (t.state !== "confirmed") return refused(t, endCode(t));
  if (t.redeemedAt !== null) return refused(t, "TICKET_USED");
  if (t.redeemBy !== null && now >= t.redeemBy) return refused(t, "TICKET_EXPIRED");
  if (t.grantHash === null || !equalConstantTime(t.grantHash, e.grantHash))
    return refused(t, "GRANT_INVALID");
  if (t.phone === null) return refused(t, "WRONG_STEP");
  return moved({ ...t, redeemedAt: now, grantHash: null, sessionId: e.sessionId }, [
    { type: "login", personId: t.phone.personId, sessionId: e.sessionId, replaces: null },
    emit("qr.redeemed", { ticket: maskToken(t.id), person: t.phone.maskedName, conn: e.conn }),
  ]);
}

/** The code a phone or client gets for a ticket that has ended. */
export function endCode(t: Ticket): ErrorCode {
  if (t.state === "confirmed") return "TICKET_USED";
  if (t.state === "cancelled" && t.endedBy !== "replaced") return "TICKET_CANCELLED";
  return "TICKET_EXPIRED"; // expired, or refreshed away: "二维码已失效，请刷新"
}

function isFinal(t: Ticket): boolean {
  return t.state === "confirmed" || t.state === "cancelled" || t.state === "expired";
}

function end(t: Ticket, by: Exclude<TicketEnd, "expired">): Ticket {
  return { ...t, state: "cancelled", endedBy: by };
}

function same(ticket: Ticket): Step {
  return { ticket, changed: false, effects: [] };
}

function moved(ticket: Ticket, effects: Effect[]): Step {
  return { ticket, changed: true, effects };
}

function refused(ticket: Ticket, error: ErrorCode): Step {
  return { ticket, changed: false, effects: [], error };
}

function emit(kind: QrEventKind, data: EventData): Effect {
  return { type: "emit", kind, data };
}

/** Compares two hashes without an early exit, so timing tells nothing about how much matched. */
export function equalConstantTime(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}
