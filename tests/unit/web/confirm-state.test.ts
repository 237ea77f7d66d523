// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { endedBy, markScanned, stateCode, takeScanned } from "../../../server/web/app/confirm-state";
import { captureSize } from "../../../server/web/app/face-capture";
import type { PhoneTicketView } from "../../../shared/protocol/qr";

const view = (state: PhoneTicketView["state"], yours: boolean): PhoneTicketView => ({
  ticketId: "T3stTicket_0123456789abcdef",
  state,
  yours,
  asker: {
    client: "扣缴客户端",
    version: "0.1.0",
    ip: "127.0.0.1",
    place: null,
    requestedAt: "2024-03-01T01:00:00Z",
  },
  expiresAt: "2024-03-01T01:02:00Z",
});

describe("what the confirm screen says about a ticket it cannot confirm", () => {
  it.each([
    ["TICKET_EXPIRED", "二维码已失效"],
    ["TICKET_NOT_FOUND", "二维码已失效"],
    ["TICKET_USED", "二维码已使用"],
    ["TICKET_CANCELLED", "二维码登录已取消"],
    ["TICKET_ALREADY_SCANNED", "二维码已被扫描"],
    ["TICKET_ROTATED", "二维码已更新"],
  ])("%s → %s", (code, title) => {
    expect(endedBy(code)?.title).toBe(title);
  });

  it.each([["RATE_LIMITED"], ["NETWORK"], ["INTERNAL"]])(
    "%s is passing: the person may try again",
    (code) => {
      expect(endedBy(code)).toBeNull();
    },
  );

  it.each([
    ["scanned", true, null],
    ["scanned", false, "TICKET_ALREADY_SCANNED"],
    ["expired", true, "TICKET_EXPIRED"],
    ["cancelled", true, "TICKET_CANCELLED"],
    ["confirmed", true, "TICKET_USED"],
  ] as const)("a %s ticket (this phone's: %s) reads as %s", (state, yours, code) => {
    expect(stateCode(view(state, yours))).toBe(code);
  });
});

describe("the face still", () => {
  it.each([
    [1280, 720, { width: 640, height: 360 }],
    [480, 640, { width: 480, height: 640 }],
    [720, 1280, { width: 360, height: 640 }],
    [0, 0, { width: 0, height: 0 }],
  ])("from a %i×%i frame is %j", (w, h, size) => {
    expect(captureSize(w, h)).toEqual(size);
  });
});

describe("the mark 扫一扫 leaves for the confirm screen", () => {
  it("is taken once, and only for the ticket it was left for", () => {
    markScanned("T3stTicket_0123456789abcdef");
    expect(takeScanned("AnotherTicket_0123456789")).toBe(false);
    expect(takeScanned("T3stTicket_0123456789abcdef")).toBe(true);
    expect(takeScanned("T3stTicket_0123456789abcdef")).toBe(false);
  });
});
