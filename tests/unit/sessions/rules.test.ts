import { describe, expect, it } from "vitest";
import { hashToken, newToken, tokenMatches } from "../../../server/kernel/tokens";
import {
  endSession,
  expiresAt,
  idleExpiresAt,
  isExpired,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  startSession,
  touch,
} from "../../../server/sessions/rules";
import { SessionEndReason, token } from "../../../shared/protocol";
import { at, MIN, T0 } from "../../support/time";

const t0 = T0;

describe("session tokens", () => {
  it("are at least 128 random bits in base64url, fit the protocol, and differ every time", () => {
    const t = newToken();
    const tokenHash = hashToken(t);
    expect(t).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(token.safeParse(t).success).toBe(true);
    expect(tokenHash).toBe(hashToken(t));
    expect(tokenHash).not.toContain(t);
    expect(new Set(Array.from({ length: 1000 }, () => newToken())).size).toBe(1000);
  });

  it("match only their own stored hash", () => {
    const a = newToken();
    const b = newToken();
    expect(tokenMatches(a, hashToken(a))).toBe(true);
    expect(tokenMatches(a, hashToken(b))).toBe(false);
    expect(tokenMatches(a, "short")).toBe(false);
  });
});

describe("session lifetime", () => {
  it("starts with a 30-minute idle deadline and an 8-hour absolute one", () => {
    const s = startSession(t0);
    expect(idleExpiresAt(s)).toEqual(at(SESSION_IDLE_MS));
    expect(expiresAt(s)).toEqual(at(SESSION_MAX_MS));
    expect(SESSION_IDLE_MS).toBe(30 * MIN);
    expect(SESSION_MAX_MS).toBe(8 * 60 * MIN);
  });

  it.each([
    ["29:59 idle", SESSION_IDLE_MS - 1_000, false],
    ["30:00 idle", SESSION_IDLE_MS, true],
  ])("after %s is expired: %s", (_label, ms, expired) => {
    expect(isExpired(startSession(t0), at(ms))).toBe(expired);
  });

  it("pushes the idle deadline on each touch", () => {
    const r = touch(startSession(t0), at(20 * MIN));
    expect(r).toMatchObject({ alive: true, idleExpiresAt: at(50 * MIN), expiresAt: at(SESSION_MAX_MS) });
    if (!r.alive) throw new Error("expected alive");
    expect(isExpired(r.state, at(49 * MIN))).toBe(false);
  });

  it("ends at 8 hours however busy the handler is", () => {
    let s = startSession(t0);
    for (let m = 20; m < 8 * 60; m += 20) {
      const r = touch(s, at(m * MIN));
      if (!r.alive) throw new Error(`ended at ${m} min`);
      s = r.state;
    }
    expect(idleExpiresAt(s)).toEqual(at(SESSION_MAX_MS));
    expect(touch(s, at(SESSION_MAX_MS - 1))).toMatchObject({ alive: true });
    expect(touch(s, at(SESSION_MAX_MS))).toMatchObject({ alive: false, reason: "expired" });
  });

  it("ends as expired when touched after the idle deadline", () => {
    const r = touch(startSession(t0), at(SESSION_IDLE_MS));
    expect(r).toMatchObject({ alive: false, reason: "expired" });
    expect(r.state.ended).toEqual({ reason: "expired", at: at(SESSION_IDLE_MS) });
  });

  it.each(SessionEndReason.options)("ends for good on %s, keeping the first reason", (reason) => {
    const ended = endSession(startSession(t0), reason, at(MIN));
    expect(isExpired(ended, at(MIN))).toBe(true);
    expect(touch(ended, at(2 * MIN))).toMatchObject({ alive: false, reason });
    expect(endSession(ended, "logout", at(3 * MIN)).ended).toEqual({ reason, at: at(MIN) });
  });
});
