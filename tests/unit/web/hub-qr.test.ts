// @vitest-environment happy-dom
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hubOrigins, parseScannedQr, TICKET_ID } from "../../../server/web/app/hub-qr";
import { token } from "../../../shared/protocol/common";

const HUB = "http://127.0.0.1:8080";
const ID = "T3stTicket_0123456789abcdef";

describe("what a scanned QR means to the phone", () => {
  it.each([
    [`${HUB}/app/qr/${ID}`],
    [`${HUB}/app/qr/${ID}/`],
    [`  ${HUB}/app/qr/${ID}\n`],
    [`${HUB}/app/qr/${ID}?from=client#x`],
  ])("opens the ticket of %j", (text) => {
    expect(parseScannedQr(text, [HUB])).toEqual({ kind: "ticket", ticketId: ID, stamp: null });
  });

  it("keeps the rotating QR's stamp", () => {
    expect(parseScannedQr(`${HUB}/app/qr/${ID}?s=Ab3_-xYz012`, [HUB])).toEqual({
      kind: "ticket",
      ticketId: ID,
      stamp: "Ab3_-xYz012",
    });
  });

  it.each([
    ["another site", `https://example.com/app/qr/${ID}`],
    ["another port", `http://127.0.0.1:9090/app/qr/${ID}`],
    ["another path", `${HUB}/web/qr/${ID}`],
    ["a deeper path", `${HUB}/app/qr/${ID}/confirm`],
    ["an id too short", `${HUB}/app/qr/abc`],
    ["an id with other characters", `${HUB}/app/qr/${ID.slice(0, -1)}%21`],
    ["a stamp with other characters", `${HUB}/app/qr/${ID}?s=%3Cb%3E`],
    ["plain text", "你好"],
    ["a javascript: URL", `javascript:alert(1)//${HUB}/app/qr/${ID}`],
    ["a data: URL", "data:text/html,<b>x</b>"],
  ])("ignores %s", (_what, text) => {
    expect(parseScannedQr(text, [HUB])).toEqual({ kind: "unknown" });
  });

  it("follows QR links of every origin the hub lists", () => {
    document.head.innerHTML =
      '<meta name="shiming-hub-origins" content="https://tax.example/ nonsense http://b:1">';
    expect(hubOrigins()).toEqual([location.origin, "https://tax.example", "http://b:1"]);
    expect(parseScannedQr(`https://tax.example/app/qr/${ID}`, hubOrigins()).kind).toBe("ticket");
  });

  it("accepts exactly the ticket ids the protocol accepts", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."aZ09_-!é/."), maxLength: 70 }), (id) => {
        expect(TICKET_ID.test(id)).toBe(token.safeParse(id).success);
      }),
    );
  });
});
