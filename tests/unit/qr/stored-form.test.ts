import { describe, expect, it } from "vitest";
import { issueTicket, step } from "../../../server/qr/machine";
import { decodeTicket, encodeTicket, type Ticket } from "../../../server/qr/ticket";
import { EXTENSION_ORIGIN } from "../../../shared/extension-id";

// The compact stored form of a ticket: every state reads back as it was written, a waiting ticket
// stays small, and a ticket stored in the earlier object form still reads.

const NOW = Date.parse("2026-03-01T08:00:00Z");
const ID = "Tk3xAAAAAAAAAAAAAAAAAA";
const SECRET = "c2VjcmV0LWhhc2gtb2YtdGhlLWNsaWVudHMtc2VjcmV0";

function waiting(place: string | null = "本机", rotation?: Ticket["rotation"]): Ticket {
  return issueTicket(
    {
      ...(rotation ? { rotation } : {}),
      id: ID,
      secretHash: SECRET,
      ttlMs: 120_000,
      asker: { label: "扣缴客户端", version: "0.1.0", ip: "203.0.113.7", place },
      holder: { node: "node-a", conn: "0a1b2c3d" },
    },
    NOW,
  ).ticket;
}

function must(r: ReturnType<typeof step>): Ticket {
  if (r.error) throw new Error(r.error);
  return r.ticket;
}

describe("stored ticket form", () => {
  it("reads back every state exactly", () => {
    const phone = { session: "s".repeat(43), personId: "p-1", maskedName: "*三" };
    const w = waiting();
    const scanned = must(step(w, { type: "scan", phone }, NOW + 1000));
    const confirmed = must(step(scanned, { type: "confirm", phoneSession: phone.session }, NOW + 2000));
    const rotating = waiting("本机", { key: "k".repeat(22), everyMs: 30_000 });
    const told = { ...w, asker: { ...w.asker, os: "Windows", origin: "chrome-extension://abc" } };
    const shipped = { ...w, asker: { ...w.asker, origin: EXTENSION_ORIGIN } };
    expect(encodeTicket(shipped)).not.toContain(EXTENSION_ORIGIN);
    expect(rotating.rotation).toBeDefined();
    for (const t of [w, waiting(null), rotating, told, shipped, scanned, confirmed])
      expect(decodeTicket(ID, encodeTicket(t))).toEqual(t);
  });

  it("keeps a waiting ticket to its fields: no id, no names, no trailing nulls", () => {
    const stored = encodeTicket(waiting());
    expect(stored).not.toContain(ID);
    expect(stored).not.toContain("secretHash");
    expect(stored).not.toMatch(/null\]$/);
    expect(Buffer.byteLength(stored)).toBeLessThan(JSON.stringify(waiting()).length / 2);
  });

  it("still reads a ticket stored as an object, and refuses an unknown form", () => {
    const t = waiting();
    expect(decodeTicket(ID, JSON.stringify(t))).toEqual(t);
    expect(() => decodeTicket(ID, "[9,0]")).toThrow(/unknown stored ticket form/);
  });
});
