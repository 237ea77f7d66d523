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

/** While the ticket waits, what its QR encodes changes every rotation (`…/app/qr/<id>?s=<stamp>`) and
 *  the previous content is refused, so a photo or a forwarded link goes stale. The ticket, its secret
 *  and its `expiresAt` stay the same: the countdown is the ticket's, not the image's. */
export const QrRotated = message("qr.rotated", {
  ticketId: token,
  url: z.url(),
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
  /** Claimed: the client's own label from its hello, e.g. 扣缴客户端. */
  client: z.string(),
  /** Claimed, from hello. */
  version: z.string(),
  /** Claimed, from hello (absent when the client did not say). */
  os: z.string().optional(),
  /** Verified: the address the client's socket came from (through trusted proxies only). */
  ip: z.string(),
  /** Verified: a place for that address from the hub's own database, when it knows one. */
  place: z.string().nullable(),
  /** Verified: the socket's Origin, which the hub checked against the origins it allows — the
   *  extension's (chrome-extension://<id>, moz-extension://<uuid>) or the hub's own pages. */
  origin: z.string().optional(),
  requestedAt: isoTime,
});

/**
 * The asker's address compared with the phone's own, both as the hub sees them:
 * `same-address` one network (the office's Wi-Fi); `same-place` the same city (or both on an internal
 * network); `elsewhere` different places — the QR was most likely relayed from someone else's screen;
 * `unknown` one of them cannot be placed well enough to tell.
 */
export const AskerNearness = z.enum(["same-address", "same-place", "elsewhere", "unknown"]);
export type AskerNearness = z.infer<typeof AskerNearness>;

export const PhoneTicketView = z.strictObject({
  ticketId: token,
  state: TicketState,
  asker: TicketAsker,
  /** The phone's own address and place, as the hub sees this request. */
  phone: z.strictObject({ ip: z.string(), place: z.string().nullable() }).optional(),
  nearness: AskerNearness.optional(),
  /** True once this phone scanned it: only this phone may then confirm or cancel. */
  yours: z.boolean(),
  expiresAt: isoTime,
});
export type PhoneTicketView = z.infer<typeof PhoneTicketView>;
