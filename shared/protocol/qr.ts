import { z } from "zod";
import { isoTime, message, token } from "./common";

// seed 1.2 — 扫码登录. The client asks for a ticket, shows its URL as a QR, and is pushed every change.
//
//   waiting ──scan──▶ scanned ──confirm──▶ confirmed ──redeem(secret, grant)──▶ session
//      │                 │
//      │                 └──cancel──▶ cancelled
//      └──── TTL ────────┴──────────▶ expired          (every end state is final; refresh = new ticket)

export const TicketState = z.enum(["waiting", "scanned", "confirmed", "cancelled", "expired"]);
export type TicketState = z.infer<typeof TicketState>;

/** Ask for a ticket. `replaces` voids the client's previous one (刷新). */
export const QrIssue = message("qr.issue", { replaces: token.optional() });

/** The client leaves QR mode: its waiting ticket dies. */
export const QrCancel = message("qr.cancel", { ticketId: token, secret: token });

/** Trade the confirmation's one-time grant for a login session. Only the secret's holder can. */
export const QrRedeem = message("qr.redeem", { ticketId: token, secret: token, grant: token });

/** A new ticket; `secret` goes to this client only and never into the QR. */
export const QrTicket = message("qr.ticket", {
  ticketId: token,
  secret: token,
  /** `${PUBLIC_URL}/app/qr/<id>`: what the QR encodes. */
  url: z.url(),
  expiresAt: isoTime,
});

/** Pushed on every change of the ticket (and on resume, with the current state). */
export const QrState = message("qr.state", {
  ticketId: token,
  state: TicketState,
  /** With `scanned` and `confirmed`: who scanned, masked. */
  maskedName: z.string().optional(),
  /** With `confirmed`: redeem it with the secret. */
  grant: token.optional(),
  expiresAt: isoTime,
});

// The phone side (HTTP, `/api/app/qr/:id`): what the phone page shows before the person confirms.

/** Who asks for the login: the person checks this before confirming, so a relayed QR (QRLJacking) shows up. */
export const TicketAsker = z.strictObject({
  /** The client's own label from its hello, e.g. 扣缴客户端. */
  client: z.string(),
  version: z.string(),
  /** The address the client's socket came from. */
  ip: z.string(),
  /** A place for that address, when the hub knows one. */
  place: z.string().nullable(),
  requestedAt: isoTime,
});

export const PhoneTicketView = z.strictObject({
  ticketId: token,
  state: TicketState,
  asker: TicketAsker,
  /** True once this phone scanned it: only this phone may then confirm or cancel. */
  yours: z.boolean(),
  expiresAt: isoTime,
});
export type PhoneTicketView = z.infer<typeof PhoneTicketView>;
