import { z } from "zod";
import { EXTENSION_ORIGIN } from "../../shared/extension-id";
import { TicketState } from "../../shared/protocol";

// A QR ticket as stored (Redis hash or memory map); the stored form below is read without a schema.
// Secrets and grants are kept only as SHA-256 hashes; the client holds the plain ones.

export const TicketEnd = z.enum(["client", "phone", "replaced", "expired"]);
export type TicketEnd = z.infer<typeof TicketEnd>;

export const TicketRecord = z.strictObject({
  id: z.string(),
  /** Bumped on every change: the store writes only if the revision it read is still current. */
  rev: z.number().int().min(0),
  secretHash: z.string(),
  state: TicketState,
  /** Why a cancelled or expired ticket ended. */
  endedBy: TicketEnd.nullable(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  /** Who asks: shown to the phone before it confirms (QRLJacking). */
  asker: z.strictObject({
    label: z.string(),
    version: z.string(),
    /** From hello, when the client said (optional: tickets stored before it existed). */
    os: z.string().optional(),
    ip: z.string(),
    place: z.string().nullable(),
    /** The socket's Origin, checked at the upgrade. */
    origin: z.string().optional(),
  }),
  /** The node and connection holding the client's socket: "ticket changed" goes only there. */
  holder: z.strictObject({ node: z.string(), conn: z.string() }),
  /** The phone session that scanned it; only that phone may confirm or cancel. */
  phone: z
    .strictObject({
      session: z.string(),
      personId: z.string(),
      maskedName: z.string(),
    })
    .nullable(),
  confirmedAt: z.number().nullable(),
  /** The latest grant minted for the client (hash); a new mint voids the previous one. */
  grantHash: z.string().nullable(),
  /** After confirmation the grant must be redeemed before this instant. */
  redeemBy: z.number().nullable(),
  redeemedAt: z.number().nullable(),
  /** The client session the redemption issued (optional: tickets stored before it existed). */
  sessionId: z.string().nullable().optional(),
  /** How the QR's content rotates while the ticket waits (server/qr/rotation.ts): the key its stamps
   *  are derived from and the period. Optional: tickets stored before it existed do not rotate. */
  rotation: z.strictObject({ key: z.string().optional(), everyMs: z.number().int().min(1) }).optional(),
});
export type Ticket = z.infer<typeof TicketRecord>;

/** The phone's identity as the ticket records it: a hash of its session token, never the token. */
export interface PhoneRef {
  session: string;
  personId: string;
  maskedName: string;
}

export const FINAL_STATES: ReadonlySet<TicketState> = new Set(["confirmed", "cancelled", "expired"]);

export function isLive(ticket: Ticket): boolean {
  return !FINAL_STATES.has(ticket.state);
}

// The stored form (Redis `data`, memory map): a positional array, not the record's JSON. At scale
// nearly every ticket is a waiting one, and Redis keeps hundreds of thousands: the field names, the
// id (the key has it) and the nulls of a waiting ticket (no phone, no grant, no end) were over half
// of its bytes. Trailing nulls are left off. A record stored as an object (before this form) still
// reads (and is parsed: it was written by an older version). The positional form is written only by
// encodeTicket, so it is read without a schema (the edges parse what comes from outside).
const STORED_FORM = 2;

export function encodeTicket(t: Ticket): string {
  const row: unknown[] = [
    STORED_FORM,
    t.rev,
    t.secretHash,
    t.state,
    t.issuedAt,
    t.expiresAt,
    t.asker.label,
    t.asker.version,
    t.asker.ip,
    t.asker.place,
    t.holder.node,
    t.holder.conn,
    t.endedBy,
    t.phone?.session ?? null,
    t.phone?.personId ?? null,
    t.phone?.maskedName ?? null,
    t.confirmedAt,
    t.grantHash,
    t.redeemBy,
    t.redeemedAt,
    t.sessionId ?? null,
    t.rotation ? (t.rotation.key ? [t.rotation.key, t.rotation.everyMs] : t.rotation.everyMs) : null,
    t.asker.os ?? null,
    // The shipped extension's origin (most tickets) as 1: 51 bytes less per waiting ticket in Redis.
    t.asker.origin === EXTENSION_ORIGIN ? 1 : (t.asker.origin ?? null),
  ];
  while (row.length > 0 && row[row.length - 1] === null) row.pop();
  return JSON.stringify(row);
}

export function decodeTicket(id: string, stored: string): Ticket {
  return ticketFromStored(id, JSON.parse(stored));
}

/** A stored form already parsed from JSON (a hint carries it inside its own JSON). */
export function ticketFromStored(id: string, v: unknown): Ticket {
  if (!Array.isArray(v)) return TicketRecord.parse(v);
  if (v[0] !== STORED_FORM) throw new Error(`unknown stored ticket form ${String(v[0])}`);
  const at = (i: number): unknown => v[i] ?? null;
  const session = at(13);
  const rotation = at(21) as [string, number] | number | null;
  const os = at(22);
  const origin = at(23) === 1 ? EXTENSION_ORIGIN : at(23);
  return {
    id,
    rev: at(1),
    secretHash: at(2),
    state: at(3),
    issuedAt: at(4),
    expiresAt: at(5),
    asker: {
      label: at(6),
      version: at(7),
      ip: at(8),
      place: at(9),
      ...(os === null ? {} : { os }),
      ...(origin === null ? {} : { origin }),
    },
    holder: { node: at(10), conn: at(11) },
    endedBy: at(12),
    phone: session === null ? null : { session, personId: at(14), maskedName: at(15) },
    confirmedAt: at(16),
    grantHash: at(17),
    redeemBy: at(18),
    redeemedAt: at(19),
    sessionId: at(20),
    ...(typeof rotation === "number"
      ? { rotation: { everyMs: rotation } }
      : rotation
        ? { rotation: { key: rotation[0], everyMs: rotation[1] } }
        : {}),
  } as Ticket;
}
