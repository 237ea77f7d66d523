import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkEvent } from "../../../server/events/kinds";
import {
  equalConstantTime,
  issueTicket,
  REDEEM_WINDOW_MS,
  step,
  type TicketEvent,
} from "../../../server/qr/machine";
import type { PhoneRef, Ticket } from "../../../server/qr/ticket";

const NOW = Date.parse("2024-03-01T09:00:00+08:00");
const TTL = 120_000;
const SECRET = "secret-hash-aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const GRANT = "grant-hash-bbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const phoneA: PhoneRef = { session: "phone-a-session-hash", personId: "p-a", maskedName: "*三" };
const phoneB: PhoneRef = { session: "phone-b-session-hash", personId: "p-b", maskedName: "*四" };

function fresh(): Ticket {
  return issueTicket(
    {
      id: "Tk3xAAAAAAAAAAAAAAAAAA",
      secretHash: SECRET,
      ttlMs: TTL,
      asker: { label: "扣缴客户端", version: "0.1.0", ip: "203.0.113.7", place: null },
      holder: { node: "node-a", conn: "0a1b2c3d" },
    },
    NOW,
  ).ticket;
}

/** A ticket driven through events from fresh, each a second apart; fails loudly if one is refused. */
function driven(...events: TicketEvent[]): Ticket {
  let t = fresh();
  events.forEach((e, i) => {
    const r = step(t, e, NOW + (i + 1) * 1000);
    if (r.error) throw new Error(`setup step ${e.type} refused: ${r.error}`);
    t = r.ticket;
  });
  return t;
}

const scanA: TicketEvent = { type: "scan", phone: phoneA };
const scanB: TicketEvent = { type: "scan", phone: phoneB };
const confirmA: TicketEvent = { type: "confirm", phoneSession: phoneA.session };
const confirmB: TicketEvent = { type: "confirm", phoneSession: phoneB.session };
const grant: TicketEvent = { type: "grant", grantHash: GRANT };
const SESSION = "5e55a0a0-0000-4000-8000-000000000001";
const redeem = (secretHash = SECRET, grantHash = GRANT): TicketEvent => ({
  type: "redeem",
  secretHash,
  grantHash,
  conn: "0a1b2c3d",
  sessionId: SESSION,
});

const waiting = () => fresh();
const scanned = () => driven(scanA);
const confirmed = () => driven(scanA, confirmA, grant);
const redeemed = () => driven(scanA, confirmA, grant, redeem());
const cancelledByClient = () => driven({ type: "cancel", by: "client", secretHash: SECRET });
const cancelledByPhone = () => driven(scanA, { type: "cancel", by: "phone", phoneSession: phoneA.session });
const replaced = () => driven({ type: "replace", by: "NewTicketAAAAAAAAAAAAA" });
const expired = () => step(fresh(), { type: "expire" }, NOW + TTL).ticket;

const at = NOW + 10_000;

describe("the QR ticket machine", () => {
  it.each<[string, () => Ticket, TicketEvent, string, string | undefined]>([
    ["a phone scans a waiting ticket", waiting, scanA, "scanned", undefined],
    ["the same phone scans again", scanned, scanA, "scanned", undefined],
    ["another phone scans a scanned ticket", scanned, scanB, "scanned", "TICKET_ALREADY_SCANNED"],
    ["a phone scans a confirmed ticket", confirmed, scanB, "confirmed", "TICKET_USED"],
    [
      "a phone scans a ticket the client cancelled",
      cancelledByClient,
      scanA,
      "cancelled",
      "TICKET_CANCELLED",
    ],
    ["a phone scans a ticket the phone cancelled", cancelledByPhone, scanA, "cancelled", "TICKET_CANCELLED"],
    ["a phone scans a refreshed-away ticket", replaced, scanA, "cancelled", "TICKET_EXPIRED"],
    ["a phone scans an expired ticket", expired, scanA, "expired", "TICKET_EXPIRED"],
    ["a phone confirms before scanning", waiting, confirmA, "waiting", "WRONG_STEP"],
    ["the scanning phone confirms", scanned, confirmA, "confirmed", undefined],
    ["another phone confirms", scanned, confirmB, "scanned", "TICKET_ALREADY_SCANNED"],
    // its first answer was lost: the retry is told what the first was
    ["the phone confirms twice", confirmed, confirmA, "confirmed", undefined],
    ["the phone confirms again after the client redeemed", redeemed, confirmA, "confirmed", undefined],
    ["another phone confirms a confirmed ticket", confirmed, confirmB, "confirmed", "TICKET_USED"],
    [
      "the scanning phone cancels",
      scanned,
      { type: "cancel", by: "phone", phoneSession: phoneA.session },
      "cancelled",
      undefined,
    ],
    [
      "another phone cancels",
      scanned,
      { type: "cancel", by: "phone", phoneSession: phoneB.session },
      "scanned",
      "TICKET_ALREADY_SCANNED",
    ],
    [
      "a phone cancels before scanning",
      waiting,
      { type: "cancel", by: "phone", phoneSession: phoneA.session },
      "waiting",
      "WRONG_STEP",
    ],
    [
      "the client cancels a waiting ticket",
      waiting,
      { type: "cancel", by: "client", secretHash: SECRET },
      "cancelled",
      undefined,
    ],
    [
      "the client cancels a scanned ticket",
      scanned,
      { type: "cancel", by: "client", secretHash: SECRET },
      "cancelled",
      undefined,
    ],
    [
      "the client cancels with a wrong secret",
      waiting,
      { type: "cancel", by: "client", secretHash: "x" },
      "waiting",
      "TICKET_SECRET_WRONG",
    ],
    [
      "the client cancels a confirmed ticket",
      confirmed,
      { type: "cancel", by: "client", secretHash: SECRET },
      "confirmed",
      undefined,
    ],
    [
      "a refresh ends a waiting ticket",
      waiting,
      { type: "replace", by: "NewTicketAAAAAAAAAAAAA" },
      "cancelled",
      undefined,
    ],
    [
      "a refresh leaves a confirmed ticket",
      confirmed,
      { type: "replace", by: "NewTicketAAAAAAAAAAAAA" },
      "confirmed",
      undefined,
    ],
    [
      "a grant is minted for a confirmed ticket",
      () => driven(scanA, confirmA),
      grant,
      "confirmed",
      undefined,
    ],
    ["no grant for a scanned ticket", scanned, grant, "scanned", "WRONG_STEP"],
    ["no grant after redemption", redeemed, grant, "confirmed", "TICKET_USED"],
    ["redeem with a wrong secret", confirmed, redeem("wrong"), "confirmed", "TICKET_SECRET_WRONG"],
    ["redeem with a wrong grant", confirmed, redeem(SECRET, "wrong"), "confirmed", "GRANT_INVALID"],
    [
      "redeem before any grant was minted",
      () => driven(scanA, confirmA),
      redeem(),
      "confirmed",
      "GRANT_INVALID",
    ],
    ["redeem before confirmation", scanned, redeem(), "scanned", "WRONG_STEP"],
    ["redeem a cancelled ticket", cancelledByClient, redeem(), "cancelled", "TICKET_CANCELLED"],
    ["redeem the right grant", confirmed, redeem(), "confirmed", undefined],
    ["redeem the same grant again", redeemed, redeem(), "confirmed", "TICKET_USED"],
    ["redeem again with a wrong secret", redeemed, redeem("wrong"), "confirmed", "TICKET_SECRET_WRONG"],
  ])("%s → %s", (_name, make, event, state, error) => {
    const r = step(make(), event, at);
    expect(r.ticket.state).toBe(state);
    expect(r.error).toBe(error);
  });

  it("records who scanned, and tells the client's node to look", () => {
    const r = step(fresh(), scanA, at);
    expect(r.ticket.phone).toEqual(phoneA);
    expect(r.effects).toContainEqual({ type: "notify" });
    expect(r.ticket.rev).toBe(1);
  });

  it("gives the grant a redeem window from the confirmation", () => {
    const r = step(scanned(), confirmA, at);
    expect(r.ticket.redeemBy).toBe(at + REDEEM_WINDOW_MS);
    expect(r.effects).toContainEqual({ type: "notify" });
  });

  it("logs the scanning person in when the grant is redeemed, once", () => {
    const r = step(confirmed(), redeem(), at);
    expect(r.effects).toContainEqual({ type: "login", personId: "p-a", sessionId: SESSION, replaces: null });
    expect(r.ticket.redeemedAt).toBe(at);
    expect(r.ticket.grantHash).toBeNull();
  });

  it("refuses a grant redeemed after its window", () => {
    const t = confirmed();
    const r = step(t, redeem(), (t.redeemBy ?? 0) + 1);
    expect(r.error).toBe("TICKET_EXPIRED");
    expect(r.changed).toBe(false);
  });

  it("keeps a grant minted with the confirmation, which redeems once; a later mint voids it", () => {
    const t = driven(scanA, { type: "confirm", phoneSession: phoneA.session, grantHash: GRANT });
    expect(t).toMatchObject({ state: "confirmed", grantHash: GRANT });
    const r = step(t, redeem(), at);
    expect(r.effects).toContainEqual({ type: "login", personId: "p-a", sessionId: SESSION, replaces: null });
    expect(step(r.ticket, redeem(), at).error).toBe("TICKET_USED");
    const reminted = step(t, { type: "grant", grantHash: "newer-grant-hash-ccccccccccccccccccc" }, at).ticket;
    expect(step(reminted, redeem(), at).error).toBe("GRANT_INVALID");
  });

  it("accepts only the latest minted grant", () => {
    const t = step(
      confirmed(),
      { type: "grant", grantHash: "newer-grant-hash-ccccccccccccccccccc" },
      at,
    ).ticket;
    expect(step(t, redeem(), at).error).toBe("GRANT_INVALID");
    expect(step(t, redeem(SECRET, "newer-grant-hash-ccccccccccccccccccc"), at).error).toBeUndefined();
  });

  it("does not tell the client about a refresh it asked for itself", () => {
    const r = step(fresh(), { type: "replace", by: "NewTicketAAAAAAAAAAAAA" }, at);
    expect(r.ticket.endedBy).toBe("replaced");
    expect(r.effects.some((e) => e.type === "notify")).toBe(false);
  });

  describe("expiry", () => {
    it("keeps a ticket waiting until its TTL", () => {
      expect(step(fresh(), { type: "expire" }, NOW + TTL - 1).changed).toBe(false);
    });

    it.each([
      ["waiting", waiting],
      ["scanned", scanned],
    ])("expires a %s ticket at its TTL and tells the client", (_s, make) => {
      const r = step(make(), { type: "expire" }, NOW + TTL);
      expect(r.ticket.state).toBe("expired");
      expect(r.effects).toContainEqual({ type: "notify" });
    });

    it("stores the expiry even when the event that found it is refused", () => {
      const r = step(scanned(), confirmA, NOW + TTL + 5);
      expect(r.error).toBe("TICKET_EXPIRED");
      expect(r.changed).toBe(true);
      expect(r.ticket.state).toBe("expired");
    });

    it("leaves a confirmed ticket confirmed past the TTL", () => {
      expect(step(confirmed(), { type: "expire" }, NOW + TTL * 10).ticket.state).toBe("confirmed");
    });
  });

  describe("resume on another node", () => {
    const attach = (secretHash: string, sessionId = "5e55a0a0-0000-4000-8000-000000000002"): TicketEvent => ({
      type: "attach",
      secretHash,
      node: "node-b",
      conn: "99aa88bb",
      sessionId,
    });

    it("moves the ticket to the node and socket that proved the secret", () => {
      const r = step(scanned(), attach(SECRET), at);
      expect(r.ticket.holder).toEqual({ node: "node-b", conn: "99aa88bb" });
      expect(r.ticket.state).toBe("scanned");
    });

    it("refuses a wrong secret and changes nothing", () => {
      const t = scanned();
      const r = step(t, attach("wrong"), at);
      expect(r.error).toBe("TICKET_SECRET_WRONG");
      expect(r.ticket).toEqual(t);
    });

    it("gives the secret's holder a new session for a redeemed ticket within the redeem window", () => {
      const t = redeemed();
      const r = step(t, attach(SECRET), at);
      expect(r.error).toBeUndefined();
      expect(r.effects).toContainEqual({
        type: "login",
        personId: phoneA.personId,
        sessionId: "5e55a0a0-0000-4000-8000-000000000002",
        replaces: SESSION,
      });
      expect(r.ticket.sessionId).toBe("5e55a0a0-0000-4000-8000-000000000002");
      expect(r.ticket.holder).toEqual({ node: "node-b", conn: "99aa88bb" });
    });

    it("refuses a redeemed ticket once its redeem window is over, and a wrong secret always", () => {
      const t = redeemed();
      expect(step(t, attach(SECRET), t.redeemBy ?? 0).error).toBe("TICKET_USED");
      expect(step(t, attach("wrong"), at).error).toBe("TICKET_SECRET_WRONG");
    });
  });

  it("never moves a final ticket again, whatever comes", () => {
    const events = fc.constantFrom<TicketEvent>(
      scanA,
      scanB,
      confirmA,
      confirmB,
      { type: "cancel", by: "client", secretHash: SECRET },
      { type: "cancel", by: "phone", phoneSession: phoneA.session },
      { type: "replace", by: "NewTicketAAAAAAAAAAAAA" },
      { type: "expire" },
    );
    const finals = fc.constantFrom(confirmed, cancelledByClient, cancelledByPhone, replaced, expired);
    fc.assert(
      fc.property(finals, fc.array(fc.tuple(events, fc.nat(10 * TTL)), { maxLength: 12 }), (make, seq) => {
        const start = make();
        let t = start;
        for (const [e, dt] of seq) t = step(t, e, NOW + dt).ticket;
        expect(t.state).toBe(start.state);
      }),
    );
  });

  it("changes nothing (not even the revision) when it refuses", () => {
    const all = [waiting, scanned, confirmed, redeemed, cancelledByClient, replaced];
    const events: TicketEvent[] = [scanB, confirmB, redeem("wrong"), redeem(SECRET, "wrong"), grant];
    for (const make of all) {
      for (const e of events) {
        const t = make();
        const r = step(t, e, at);
        if (r.error) expect(r.ticket).toEqual(t);
      }
    }
  });

  it("emits only events whose identifiers are masked", () => {
    const seen: string[] = [];
    const check = (effects: ReturnType<typeof step>["effects"]) => {
      for (const e of effects) {
        if (e.type !== "emit") continue;
        seen.push(e.kind);
        expect(checkEvent(e.kind, e.data)).toEqual({ ok: true });
        expect(JSON.stringify(e.data)).not.toContain("Tk3xAAAAAAAAAAAAAAAAAA");
      }
    };
    check(issueTicket({ ...fresh(), ttlMs: TTL }, NOW).effects);
    check(step(fresh(), scanA, at).effects);
    check(step(scanned(), confirmA, at).effects);
    check(step(confirmed(), redeem(), at).effects);
    check(step(fresh(), { type: "cancel", by: "client", secretHash: SECRET }, at).effects);
    check(step(fresh(), { type: "replace", by: "NewTicketAAAAAAAAAAAAA" }, at).effects);
    check(step(fresh(), { type: "expire" }, NOW + TTL).effects);
    check(
      step(
        scanned(),
        { type: "attach", secretHash: SECRET, node: "b", conn: "99aa88bb", sessionId: SESSION },
        at,
      ).effects,
    );
    expect(new Set(seen)).toEqual(
      new Set([
        "qr.issued",
        "qr.scanned",
        "qr.confirmed",
        "qr.redeemed",
        "qr.cancelled",
        "qr.replaced",
        "qr.expired",
        "qr.resumed",
      ]),
    );
  });

  it("compares hashes in constant time and gets them right", () => {
    expect(equalConstantTime("abc", "abc")).toBe(true);
    expect(equalConstantTime("abc", "abd")).toBe(false);
    expect(equalConstantTime("abc", "abcd")).toBe(false);
    expect(equalConstantTime("", "")).toBe(true);
  });
});
