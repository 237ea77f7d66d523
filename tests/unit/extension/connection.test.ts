import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import {
  Connection,
  type ConnectionOptions,
  type SocketLike,
  State,
  type StateChange,
} from "../../../extension/worker/connection";
import { CLOSE } from "../../../shared/protocol";
import { FakeHub } from "../../support/fake-hub";

// The worker's connection state machine against a real ws server (the fake hub).

let hub: FakeHub;
let conn: Connection | undefined;

beforeEach(async () => {
  hub = await FakeHub.start();
});

afterEach(async () => {
  conn?.disconnect(1000, "test over", false);
  conn = undefined;
  await hub.close();
});

function connect(over: Partial<ConnectionOptions> = {}) {
  const changes: StateChange[] = [];
  const delays: number[] = [];
  const messages: string[] = [];
  conn = new Connection({
    url: () => hub.wsUrl,
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    hello: () => ({ type: "hello", v: 1, client: { label: "test", version: "0" } }),
    onMessage: (m) => messages.push(m.type),
    onState: (c) => changes.push(c),
    shouldPing: () => false,
    backoff: { minMs: 10, maxMs: 1000 },
    random: () => 0.999,
    timers: {
      setTimeout: (fn, ms) => {
        delays.push(ms);
        return setTimeout(fn, ms);
      },
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
    },
    handshakeTimeoutMs: 5_000,
    ...over,
  });
  conn.connect();
  return { conn, changes, delays, messages };
}

const HANDSHAKE = 5_000;
const retryDelays = (delays: number[]) => delays.filter((d) => d !== HANDSHAKE);
const transitions = (changes: StateChange[]) => changes.map((c) => `${c.oldState}→${c.newState}`);

describe("the worker's connection", () => {
  it("is connected only once the hub has answered hello with welcome", async () => {
    const { changes, messages } = connect();
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    expect(transitions(changes)).toEqual(["disconnected→connecting", "connecting→connected"]);
    expect(hub.sent("hello")).toHaveLength(1);
    expect(messages).toEqual(["welcome"]);
  });

  it("fires a state change only when the state really changes", async () => {
    const { changes } = connect();
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    conn?.connect();
    conn?.connect();
    expect(changes).toHaveLength(2);
    for (const c of changes) expect(c.oldState).not.toBe(c.newState);
  });

  it("reconnects after the hub drops the socket, and says hello again", async () => {
    const { changes } = connect();
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    hub.closeConnection();
    await vi.waitFor(() => expect(hub.sent("hello")).toHaveLength(2));
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    expect(changes.find((c) => c.newState === State.Connecting && c.code === 1006)).toBeTruthy();
  });

  it("backs off more after each failed try, and starts over once connected", async () => {
    let refuse = 3;
    hub.on("hello", (_m, c) => {
      if (refuse-- <= 0) return undefined;
      c.ws.close(CLOSE.UNAVAILABLE.code, "unavailable");
      return [];
    });
    const { delays } = connect();
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected), { timeout: 3000 });
    // random 0.999 of caps 10, 20, 40 ms
    expect(retryDelays(delays)).toEqual([9, 19, 39]);
    hub.closeConnection();
    await vi.waitFor(() => expect(retryDelays(delays)).toHaveLength(4));
    expect(retryDelays(delays)[3]).toBe(9);
  });

  it.each([
    ["the version is unsupported", CLOSE.VERSION_UNSUPPORTED.code],
    ["hello was missing", CLOSE.HELLO_REQUIRED.code],
    ["the session ended elsewhere", CLOSE.SESSION_ENDED.code],
    ["the hub closed normally", 1000],
  ])("stays down when %s", async (_name, code) => {
    const { changes } = connect();
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    hub.closeConnection(code, "bye");
    await vi.waitFor(() => expect(conn?.state).toBe(State.Disconnected));
    expect(changes.at(-1)).toEqual({
      oldState: State.Connected,
      newState: State.Disconnected,
      code,
      reason: "bye",
    });
    expect(hub.sent("hello")).toHaveLength(1);
  });

  it.each([
    ["the hub goes away", CLOSE.GOING_AWAY.code],
    ["the heartbeat was missed", CLOSE.HEARTBEAT_TIMEOUT.code],
    ["the hub is unavailable", CLOSE.UNAVAILABLE.code],
    ["the policy closed it", CLOSE.POLICY.code],
  ])("reconnects when %s", async (_name, code) => {
    connect();
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    hub.closeConnection(code);
    await vi.waitFor(() => expect(hub.sent("hello")).toHaveLength(2));
  });

  it("reconnects at once, with no backoff, when a draining hub closes with 1012", async () => {
    const { delays, changes } = connect({ backoff: { minMs: 60_000, maxMs: 60_000 } });
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    hub.closeConnection(CLOSE.SERVICE_RESTART.code, "draining");
    await vi.waitFor(() => expect(hub.sent("hello")).toHaveLength(2));
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    expect(retryDelays(delays)).toEqual([0]);
    expect(changes.find((c) => c.code === CLOSE.SERVICE_RESTART.code)?.newState).toBe(State.Connecting);
  });

  it("backs off as usual after 1001, and after a 1012 on a socket never welcomed", async () => {
    let closeBeforeWelcome = true;
    hub.on("hello", (_m, c) => {
      if (!closeBeforeWelcome) return undefined;
      closeBeforeWelcome = false;
      c.ws.close(CLOSE.SERVICE_RESTART.code, "draining");
      return [];
    });
    const { delays } = connect();
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected), { timeout: 3000 });
    hub.closeConnection(CLOSE.GOING_AWAY.code);
    await vi.waitFor(() => expect(hub.sent("hello")).toHaveLength(3), { timeout: 3000 });
    // random 0.999 of the first cap (10 ms), each time: never the immediate 0
    expect(retryDelays(delays)).toEqual([9, 9]);
  });

  it("pings while asked to, and the hub's pong keeps it alive", async () => {
    connect({ shouldPing: () => true, pingEveryMs: 20 });
    await vi.waitFor(() => expect(hub.sent("ping").length).toBeGreaterThanOrEqual(3));
    expect(hub.sent("hello")).toHaveLength(1);
  });

  it("does not ping when no flow is in progress", async () => {
    connect({ shouldPing: () => false, pingEveryMs: 10 });
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected));
    await new Promise((r) => setTimeout(r, 60));
    expect(hub.sent("ping")).toHaveLength(0);
  });

  it("treats a hub that stops answering as gone, and reconnects", async () => {
    hub.on("ping", () => []);
    connect({ shouldPing: () => true, pingEveryMs: 15, silenceMs: 40 });
    await vi.waitFor(() => expect(hub.sent("hello")).toHaveLength(2), { timeout: 3000 });
  });

  it("gives up a handshake that gets no welcome, and tries again", async () => {
    let silent = true;
    hub.on("hello", () => {
      if (!silent) return undefined;
      silent = false;
      return [];
    });
    connect({ handshakeTimeoutMs: 50 });
    await vi.waitFor(() => expect(conn?.state).toBe(State.Connected), { timeout: 3000 });
    expect(hub.sent("hello")).toHaveLength(2);
  });

  it("sends nothing before the welcome", () => {
    const { conn: c } = connect();
    expect(c.send({ type: "ping" })).toBe(false);
  });
});
