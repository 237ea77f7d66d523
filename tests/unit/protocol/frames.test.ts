import { describe, expect, it } from "vitest";
import { errorBody } from "../../../shared/errors";
import { PROTOCOL_VERSION, parseClientFrame, parseHubFrame } from "../../../shared/protocol";

const id = "A".repeat(22);

describe("client frames", () => {
  it("accepts a hello with a protocol version and resume data", () => {
    const r = parseClientFrame(
      JSON.stringify({
        type: "hello",
        v: PROTOCOL_VERSION,
        client: { label: "扣缴客户端", version: "0.1.0" },
        resume: { ticket: { id, secret: id } },
      }),
    );
    expect(r.ok).toBe(true);
  });

  it.each([
    ["not JSON", "{", ""],
    ["an unknown type", JSON.stringify({ type: "sudo" }), "type"],
    ["an extra key", JSON.stringify({ type: "ping", admin: true }), ""],
    ["a wrong field type", JSON.stringify({ type: "login.password", account: 1, password: "x" }), "account"],
    [
      "an overlong password",
      JSON.stringify({ type: "login.password", account: "a", password: "x".repeat(65) }),
      "password",
    ],
    ["a short ticket id", JSON.stringify({ type: "qr.cancel", ticketId: "abc", secret: id }), "ticketId"],
  ])("refuses %s with the path of the bad field", (_name, raw, path) => {
    const r = parseClientFrame(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.path).toBe(path);
  });
});

describe("hub frames", () => {
  it("carries an error body the UI shows as it is", () => {
    const r = parseHubFrame(
      JSON.stringify({ type: "error", ...errorBody("ACCOUNT_LOCKED", { minutesLeft: 120 }) }),
    );
    expect(r.ok && r.value.type === "error" && r.value.message).toContain("120分钟");
  });

  it("refuses an error code that is not in the closed list", () => {
    expect(parseHubFrame(JSON.stringify({ type: "error", code: "NOPE", message: "x" })).ok).toBe(false);
  });
});
