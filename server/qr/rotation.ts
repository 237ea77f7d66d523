import { createHmac, timingSafeEqual } from "node:crypto";
import type { Ticket } from "./ticket";

// While a ticket waits, its QR's content rotates, so a photo of the screen or a forwarded link goes
// stale within one period. Nothing is written per rotation: the stamp of period n is derived from a
// key kept in the ticket (the hash of the client's secret), so every node computes the same stamp for the same instant, a client that
// resumes on another node gets the current one, and the one before is refused the moment the period
// turns.
//
//   issuedAt        +everyMs          +2·everyMs
//      │ period 0       │ period 1        │ period 2 …          (until the ticket expires)
//      │ …/qr/<id>      │ …/qr/<id>?s=A   │ …/qr/<id>?s=B
//
// Period 0 carries no stamp (the ticket's plain URL); only the current period's content is accepted.

/** 64 bits of HMAC-SHA256, base64url (11 characters): unguessable within a period, small in a QR. */
const STAMP_BYTES = 8;

export function periodAt(t: Ticket, now: number): number {
  if (!t.rotation) return 0;
  return Math.max(0, Math.floor((now - t.issuedAt) / t.rotation.everyMs));
}

/** What the QR carries besides the ticket id at `now`: null in period 0 or for a ticket that does not rotate. */
export function stampAt(t: Ticket, now: number): string | null {
  const period = periodAt(t, now);
  if (!t.rotation || period === 0) return null;
  // Keyed by the hash of the client's secret unless the ticket carries a key of its own: it never
  // leaves the hub (the phone and the QR see only stamps), so a stamp cannot be foretold from the last.
  return createHmac("sha256", t.rotation.key ?? t.secretHash)
    .update(`${t.id}.${period}`)
    .digest()
    .subarray(0, STAMP_BYTES)
    .toString("base64url");
}

/** Whether `stamp` (null: none given) is the current period's. */
export function stampFits(t: Ticket, stamp: string | null, now: number): boolean {
  const current = stampAt(t, now);
  if (current === null || stamp === null) return current === stamp;
  const a = Buffer.from(current);
  const b = Buffer.from(stamp);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** When the next period starts (null: the ticket does not rotate). */
export function nextRotationAt(t: Ticket, now: number): number | null {
  if (!t.rotation) return null;
  return t.issuedAt + (periodAt(t, now) + 1) * t.rotation.everyMs;
}

/** The URL the QR encodes at `now`. */
export function qrUrl(publicUrl: string, t: Ticket, now: number): string {
  const stamp = stampAt(t, now);
  return `${publicUrl}/app/qr/${t.id}${stamp ? `?s=${stamp}` : ""}`;
}
