import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config";
import { kindMatcher } from "../../../server/events/glob";
import { checkEvent } from "../../../server/events/kinds";
import { maskIp, maskToken } from "../../../server/events/masking";
import { ManualClock } from "../../../server/kernel/clock";
import { DEFAULT_LIMITS, resolveLimits } from "../../../server/limits";
import { MAX_FRAME_BYTES } from "../../../shared/protocol";

describe("event masking", () => {
  it("keeps six characters of a token", () => {
    expect(maskToken("Tk3xQ9aaaaaaaaaaaaaaaa")).toBe("Tk3xQ9…");
  });

  it.each([
    ["203.0.113.77", "203.0.113.*"],
    ["::ffff:10.1.2.3", "10.1.2.*"],
    ["2001:db8:85a3:0:0:8a2e:370:7334", "2001:db8:85a3:0:*"],
    ["::1", "*"],
  ])("masks the address %s as %s", (ip, masked) => {
    expect(maskIp(ip)).toBe(masked);
  });

  it("refuses a QR event carrying a whole ticket id", () => {
    const r = checkEvent("qr.cancelled", { ticket: "Tk3xQ9aaaaaaaaaaaaaaaa", by: "client" });
    expect(r.ok).toBe(false);
  });

  it("refuses a scan event carrying a person's whole name", () => {
    const r = checkEvent("qr.scanned", { ticket: "Tk3xQ9…", person: "张三", phone: "abcdef…" });
    expect(r.ok).toBe(false);
  });

  it("refuses an unmasked address", () => {
    expect(checkEvent("ws.refused", { ip: "203.0.113.77", origin: null, status: 403 }).ok).toBe(false);
  });

  it("refuses a kind nobody declared, and a declared kind with data of the wrong shape", () => {
    expect(checkEvent("login.tried", { account: "138****5678" })).toEqual({
      ok: false,
      problem: "undeclared kind login.tried (server/events/kinds.ts)",
    });
    expect(checkEvent("Not A Kind", {}).ok).toBe(false);
    expect(
      checkEvent("login.locked", { channel: "client", account: "138****5678", minutesLeft: 120 }),
    ).toEqual({
      ok: true,
    });
    expect(checkEvent("login.locked", { account: "138****5678" }).ok).toBe(false);
    expect(checkEvent("sms.sent", { sender: "dev", dev: true, phone: "13800138000" }).ok).toBe(false);
  });
});

describe("kind filters", () => {
  it.each([
    ["qr.*", "qr.scanned", true],
    ["qr.*", "ws.closed", false],
    ["ws.*,limit.hit", "limit.hit", true],
    ["ws.*,limit.hit", "qr.issued", false],
    ["*.closed", "ws.closed", true],
    ["qr.scanned", "qr.scannedx", false],
    ["", "anything.at_all", true],
  ])("%s matches %s: %s", (pattern, kind, expected) => {
    expect(kindMatcher(pattern)(kind)).toBe(expected);
  });
});

describe("the manual clock", () => {
  it("fires timers in order as time is advanced, never early", () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(200, () => fired.push("b"));
    clock.setTimer(100, () => fired.push("a"));
    const cancel = clock.setTimer(150, () => fired.push("never"));
    cancel();
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(101);
    expect(fired).toEqual(["a", "b"]);
    expect(clock.now()).toBe(200);
  });
});

describe("hub limits", () => {
  it("default the largest frame to the protocol's", () => {
    expect(DEFAULT_LIMITS.maxPayload).toBe(MAX_FRAME_BYTES);
  });

  it("take overrides from HUB_LIMITS", () => {
    const c = loadConfig({ HUB_LIMITS: '{"ticketsPerIpPerMinute":1000}' });
    expect(resolveLimits(c.limits).ticketsPerIpPerMinute).toBe(1000);
    expect(resolveLimits(c.limits).messagesPerSecond).toBe(DEFAULT_LIMITS.messagesPerSecond);
  });

  it("refuse an unknown limit naming the variable", () => {
    expect(() => loadConfig({ HUB_LIMITS: '{"ticketsForever":1}' })).toThrow(/HUB_LIMITS/);
    expect(() => loadConfig({ HUB_LIMITS: "{" })).toThrow(/HUB_LIMITS/);
  });

  it("read extra allowed origins as a list", () => {
    const c = loadConfig({ ALLOWED_ORIGINS: "moz-extension://abc, https://hub.example.cn" });
    expect(c.allowedOrigins).toEqual(["moz-extension://abc", "https://hub.example.cn"]);
  });
});
