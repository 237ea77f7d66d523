import { z } from "zod";
import { TicketState } from "../../shared/protocol";

// A QR ticket as stored (Redis hash or memory map). Parsed on every read: the store is an edge too.
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
  rotation: z.strictObject({ key: z.string(), everyMs: z.number().int().min(1) }).optional(),
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
