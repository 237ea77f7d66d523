import { describe, expect, it } from "vitest";
import { issueTicket, step } from "../../../server/qr/machine";
import { nextRotationAt, periodAt, qrUrl, stampAt, stampFits } from "../../../server/qr/rotation";
import type { PhoneRef, Ticket } from "../../../server/qr/ticket";

// The QR's content rotates while the ticket waits: derived, not stored, so every node agrees.

const NOW = Date.parse("2024-03-01T09:00:00+08:00");
const EVERY = 30_000;
const phone: PhoneRef = { session: "phone-a-session-hash", personId: "p-a", maskedName: "*三" };

function ticket(
  rotation: Ticket["rotation"] | null = { key: "rotation-key-aaaaaaaaaaaa", everyMs: EVERY },
): Ticket {
  return issueTicket(
    {
      id: "Tk3xAAAAAAAAAAAAAAAAAA",
      secretHash: "secret-hash",
      ttlMs: 120_000,
      ...(rotation ? { rotation } : {}),
      asker: { label: "扣缴客户端", version: "0.1.0", ip: "203.0.113.7", place: null },
      holder: { node: "node-a", conn: "0a1b2c3d" },
    },
    NOW,
  ).ticket;
}

describe("the rotating QR", () => {
  it("shows the plain ticket URL first, then a new stamp every period", () => {
    const t = ticket();
    expect(qrUrl("https://tax.example", t, NOW + 29_999)).toBe(
      "https://tax.example/app/qr/Tk3xAAAAAAAAAAAAAAAAAA",
    );
    const first = stampAt(t, NOW + EVERY);
    const second = stampAt(t, NOW + 2 * EVERY);
    expect(first).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(second).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(second).not.toBe(first);
    expect(stampAt(t, NOW + EVERY + 29_999)).toBe(first);
    expect(qrUrl("https://tax.example", t, NOW + EVERY)).toBe(
      `https://tax.example/app/qr/${t.id}?s=${first}`,
    );
    expect(periodAt(t, NOW + 3 * EVERY + 1)).toBe(3);
    expect(nextRotationAt(t, NOW + 1)).toBe(NOW + EVERY);
    expect(nextRotationAt(t, NOW + EVERY)).toBe(NOW + 2 * EVERY);
  });

  it("gives two tickets different stamps for the same period", () => {
    const other = { ...ticket({ key: "another-key-bbbbbbbbbbbb", everyMs: EVERY }) };
    expect(stampAt(other, NOW + EVERY)).not.toBe(stampAt(ticket(), NOW + EVERY));
  });

  it("keys a ticket without a key of its own by its secret's hash, which differs per ticket", () => {
    const own = ticket({ everyMs: EVERY });
    const stamp = stampAt(own, NOW + EVERY);
    expect(stamp).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(stampAt({ ...own, secretHash: "another-secret-hash" }, NOW + EVERY)).not.toBe(stamp);
    expect(stampFits(own, stamp, NOW + EVERY)).toBe(true);
  });

  it("accepts only the current period's content, and refuses the previous one at once", () => {
    const t = ticket();
    const first = stampAt(t, NOW + EVERY);
    expect(stampFits(t, null, NOW + 1000)).toBe(true);
    expect(stampFits(t, null, NOW + EVERY)).toBe(false);
    expect(stampFits(t, first, NOW + EVERY)).toBe(true);
    expect(stampFits(t, first, NOW + 2 * EVERY - 1)).toBe(true);
    expect(stampFits(t, first, NOW + 2 * EVERY)).toBe(false);
    expect(stampFits(t, "made-up-stamp", NOW + 1000)).toBe(false);
    expect(stampFits(t, "made-up-stamp", NOW + EVERY)).toBe(false);
  });

  it("lets a scan through only with the current content", () => {
    const t = ticket();
    const first = stampAt(t, NOW + EVERY);
    expect(step(t, { type: "scan", phone, stamp: null }, NOW + EVERY).error).toBe("TICKET_ROTATED");
    const old = step(t, { type: "scan", phone, stamp: first }, NOW + 2 * EVERY);
    expect(old.error).toBe("TICKET_ROTATED");
    expect(old.changed).toBe(false);
    expect(step(t, { type: "scan", phone, stamp: first }, NOW + EVERY).ticket.state).toBe("scanned");
  });

  it("stops mattering once the phone has scanned: the same phone may look again", () => {
    const scanned = step(ticket(), { type: "scan", phone, stamp: null }, NOW + 1000).ticket;
    const again = step(scanned, { type: "scan", phone, stamp: null }, NOW + 3 * EVERY);
    expect(again.error).toBeUndefined();
    expect(again.ticket.state).toBe("scanned");
  });

  it("does not rotate a ticket stored before rotation existed", () => {
    const t = ticket(null);
    expect(stampAt(t, NOW + 5 * EVERY)).toBeNull();
    expect(nextRotationAt(t, NOW)).toBeNull();
    expect(step(t, { type: "scan", phone }, NOW + 3 * EVERY).ticket.state).toBe("scanned");
  });
});
