import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Hub } from "../../../server/hub";
import { devPerson } from "../../../server/people/dev";
import { announceSessionsEnded } from "../../../server/sessions/notify";
import { EXTENSION_ORIGIN } from "../../../shared/extension-id";
import { CLOSE, MAX_FRAME_BYTES, PROTOCOL_VERSION } from "../../../shared/protocol";
import { FakeClient, UpgradeRefused } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { bareSockets, testHub } from "../../support/hub-nodes";

// The client socket on its own: who may open it, what must come first, what it does with bad or
// too many frames, and how it ends.

let hub: Hub;

beforeAll(async () => {
  hub = await testHub(
    { NODE_ID: "ws-test", ALLOWED_ORIGINS: "moz-extension://0c5a0e2d-firefox-install" },
    {
      limits: {
        helloTimeoutMs: 300,
        badMessagesBeforeClose: 3,
        messagesPerSecond: 10,
        floodMessagesPerSecond: 30,
      },
    },
  );
});
afterAll(() => hub.close());

describe("opening the client socket", () => {
  it.each([
    ["a web page elsewhere", "https://evil.example"],
    ["a lookalike extension", "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
    ["no origin at all", null],
  ])("refuses %s with HTTP 403 before any WebSocket exists", async (_name, origin) => {
    const err = await FakeClient.connect(hub.url, { origin, hello: false }).catch((e) => e);
    expect(err).toBeInstanceOf(UpgradeRefused);
    expect((err as UpgradeRefused).status).toBe(403);
  });

  it.each([
    ["the extension", EXTENSION_ORIGIN],
    ["the hub's own pages", "PUBLIC"],
    ["a configured extra origin", "moz-extension://0c5a0e2d-firefox-install"],
  ])("accepts %s", async (_name, origin) => {
    const o = origin === "PUBLIC" ? new URL(hub.publicUrl).origin : origin;
    const c = await FakeClient.connect(hub.url, { origin: o });
    expect(c.all("welcome")).toHaveLength(1);
    await c.close();
  });

  it("welcomes a hello with the node, the protocol version and the QR lifetime", async () => {
    const c = await FakeClient.connect(hub.url);
    const [w] = c.all("welcome");
    expect(w).toMatchObject({ v: PROTOCOL_VERSION, node: "ws-test", qrTtlS: 120 });
    // seed: CA and authorization are dated 2020-01-01; today is after both.
    expect(w).toMatchObject({ caOffered: false, authorizationActive: true });
    await c.close();
  });
});

describe("the first message", () => {
  it("must be hello: anything else gets HELLO_REQUIRED and close 4000", async () => {
    const c = await FakeClient.connect(hub.url, { hello: false });
    c.send({ type: "qr.issue" });
    expect((await c.next("error")).code).toBe("HELLO_REQUIRED");
    expect((await c.closed).code).toBe(CLOSE.HELLO_REQUIRED.code);
  });

  it("must come in time", async () => {
    const c = await FakeClient.connect(hub.url, { hello: false });
    expect((await c.next("error")).code).toBe("HELLO_REQUIRED");
    expect((await c.closed).code).toBe(CLOSE.HELLO_REQUIRED.code);
  });

  it("must speak this protocol version", async () => {
    const c = await FakeClient.connect(hub.url, { hello: false });
    c.send({ type: "hello", v: PROTOCOL_VERSION + 1, client: { label: "扣缴客户端", version: "9.9" } });
    expect((await c.next("error")).code).toBe("VERSION_UNSUPPORTED");
    expect((await c.closed).code).toBe(CLOSE.VERSION_UNSUPPORTED.code);
  });

  it("is answered only once: a second hello is the wrong step", async () => {
    const c = await FakeClient.connect(hub.url);
    const r = await c.request({ type: "hello", v: PROTOCOL_VERSION, client: { label: "x", version: "1" } });
    expect(r).toMatchObject({ type: "error", code: "WRONG_STEP" });
    await c.close();
  });
});

describe("bad and excessive frames", () => {
  it("answers a malformed frame with BAD_MESSAGE and the path, and stays open", async () => {
    const c = await FakeClient.connect(hub.url);
    c.send({ type: "qr.cancel", ticketId: "short", secret: "A".repeat(22) });
    const err = await c.next("error");
    expect(err).toMatchObject({ code: "BAD_MESSAGE", path: "ticketId", message: "请求格式有误" });
    c.sendRaw("{not json");
    expect(await c.next("error")).toMatchObject({ code: "BAD_MESSAGE", path: "" });
    expect(await c.request({ type: "ping" })).toMatchObject({ type: "pong" });
    await c.close();
  });

  it("echoes the rid of a frame it cannot read, so the request waiting on it hears back", async () => {
    // One socket per frame: three malformed frames close a socket (badMessagesBeforeClose here).
    const answer = async (frame: string) => {
      const c = await FakeClient.connect(hub.url);
      c.sendRaw(frame);
      const err = await c.next("error");
      await c.close();
      return err;
    };
    const cancel = { type: "qr.cancel", rid: 41, ticketId: "short", secret: "A".repeat(22) };
    expect(await answer(JSON.stringify(cancel))).toMatchObject({
      code: "BAD_MESSAGE",
      path: "ticketId",
      rid: 41,
    });
    expect(await answer('{"rid":0,"type":"qr.issue","replaces":7}')).toMatchObject({
      code: "BAD_MESSAGE",
      path: "replaces",
      rid: 0,
    });
    // No rid to echo: not JSON, a rid that is not one (negative, text), or no object at all.
    for (const raw of [
      '{"rid": 9, "type": "ping"',
      '{"type":"ping","rid":-1}',
      '{"type":"ping","rid":"9"}',
      "[9]",
    ]) {
      const err = await answer(raw);
      expect(err.code, raw).toBe("BAD_MESSAGE");
      expect(err, raw).not.toHaveProperty("rid");
    }
  });

  it("echoes the rid of an unreadable first frame before it closes the socket", async () => {
    const c = await FakeClient.connect(hub.url, { hello: false });
    c.sendRaw(JSON.stringify({ type: "hello", rid: 12, v: "one" }));
    expect(await c.next("error")).toMatchObject({ code: "BAD_MESSAGE", rid: 12 });
    expect((await c.closed).code).toBe(CLOSE.HELLO_REQUIRED.code);
  });

  it("answers a known message nobody handles yet with UNKNOWN_MESSAGE", async () => {
    const bare = await bareSockets();
    const c = await FakeClient.connect(bare.url);
    const r = await c.request({ type: "login.password", account: "13800138000", password: "Abcdefg1!" });
    expect(r).toMatchObject({ type: "error", code: "UNKNOWN_MESSAGE" });
    await c.close();
    await bare.close();
  });

  it("closes the socket (policy) after repeated malformed frames", async () => {
    const c = await FakeClient.connect(hub.url);
    for (let i = 0; i < 3; i++) c.sendRaw(`{"type":"nope${i}"}`);
    expect((await c.closed).code).toBe(CLOSE.POLICY.code);
    expect(c.all("error").every((e) => e.code === "BAD_MESSAGE")).toBe(true);
  });

  it("closes with 1009 on a frame larger than MAX_FRAME_BYTES", async () => {
    const c = await FakeClient.connect(hub.url);
    c.sendRaw(JSON.stringify({ type: "ping", pad: "x".repeat(MAX_FRAME_BYTES) }));
    expect((await c.closed).code).toBe(CLOSE.TOO_LARGE.code);
  });

  it("answers a burst past the per-second limit with RATE_LIMITED, and closes on a flood", async () => {
    const c = await FakeClient.connect(hub.url);
    // Every request of the burst is answered: a pong, or RATE_LIMITED with its own rid, so no
    // client is left waiting for a reply that will never come.
    const replies = await Promise.all(Array.from({ length: 14 }, () => c.request({ type: "ping" })));
    const limited = replies.filter((r) => r.type === "error");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((r) => r.type === "error" && r.code === "RATE_LIMITED" && r.retryable)).toBe(true);
    expect(replies.filter((r) => r.type === "pong").length).toBeLessThanOrEqual(10);
    for (let i = 0; i < 40; i++) c.send({ type: "ping" });
    expect((await c.closed).code).toBe(CLOSE.POLICY.code);
  });

  it("refuses binary frames as malformed", async () => {
    const c = await FakeClient.connect(hub.url);
    c.sendRaw(Buffer.from([1, 2, 3]));
    expect(await c.next("error")).toMatchObject({ code: "BAD_MESSAGE" });
    await c.close();
  });
});

describe("a live socket", () => {
  it("answers the app-level ping with pong and the request id", async () => {
    const c = await FakeClient.connect(hub.url);
    const r = await c.request({ type: "ping" });
    expect(r.type).toBe("pong");
    await c.close();
  });

  it("lets a capability register a handler for its message type, once", async () => {
    const bare = await bareSockets();
    bare.sockets.registerHandler("captcha.new", (conn, msg) => {
      conn.error("CAPTCHA_REQUIRED", {}, msg.rid);
    });
    expect(() => bare.sockets.registerHandler("captcha.new", () => {})).toThrow(/already/);
    expect(() => bare.sockets.registerHandler("ping", () => {})).toThrow();
    expect(() => hub.sockets.registerHandler("login.password", () => {})).toThrow(/already/);
    const c = await FakeClient.connect(bare.url);
    expect(await c.request({ type: "captcha.new", purpose: "login" })).toMatchObject({
      code: "CAPTCHA_REQUIRED",
    });
    await c.close();
    await bare.close();
  });

  it("closes the sockets of a session that ended elsewhere with SESSION_ENDED", async () => {
    const c = await FakeClient.connect(hub.url);
    const other = await FakeClient.connect(hub.url);
    const t = await c.issue();
    const phone = await FakePhone.login(hub.url);
    await phone.scan(t.ticketId);
    await phone.confirm(t.ticketId);
    const session = await c.completeLogin(t);
    expect(session.handler.maskedName).toBe("*三");
    const conn = [...hub.sockets.all()].find((x) => x.session !== null);
    const personId = conn?.session?.personId ?? "";
    expect(personId).toBe(devPerson("dev-zhang-san")?.uuid);
    expect(hub.sockets.byPerson(personId)).toHaveLength(1);

    await announceSessionsEnded(hub.bus, { sessionIds: [conn?.session?.id ?? ""], reason: "password_reset" });
    expect(await c.next("session.ended")).toMatchObject({ reason: "password_reset" });
    expect((await c.closed).code).toBe(CLOSE.SESSION_ENDED.code);
    expect(other.ws.readyState).toBe(WebSocket.OPEN); // not logged in: untouched
    await other.close();
  });
});

describe("ending", () => {
  it("terminates a socket that stops answering pings", async () => {
    const quick = await testHub({ NODE_ID: "ws-heartbeat" }, { limits: { heartbeatMs: 100 } });
    const ws = new WebSocket(FakeClient.wsUrl(quick.url), { origin: EXTENSION_ORIGIN, autoPong: false });
    ws.on("error", () => {});
    const code = await new Promise<number>((res) => ws.on("close", (c) => res(c)));
    expect(code).toBe(1006); // dropped without a close frame: the client reconnects
    await quick.close();
  });

  it("tells every socket to reconnect now, elsewhere (1012), when the hub drains", async () => {
    const other = await testHub({ NODE_ID: "ws-closing" });
    const c = await FakeClient.connect(other.url);
    await other.close();
    expect((await c.closed).code).toBe(CLOSE.SERVICE_RESTART.code);
  });
});
