import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { RedisBus } from "../../../server/bus/redis";
import { MemoryEventStream, RedisEventStream } from "../../../server/events/stream";
import type { Hub } from "../../../server/hub";
import { systemClock } from "../../../server/kernel/clock";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { testHub, watchEvents } from "../../support/hub-nodes";
import { BUSES, busEnv, type TestRedis, testRedis } from "../../support/redis-cluster";

// The live event stream, watched the three ways: the page, the WebSocket for tools, and the CLI.

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const silent = pino({ level: "silent" });
const OPERATOR_TOKEN = "operator-token-for-tests-0123";

async function login(clientHub: Hub, phoneHub: Hub) {
  const client = await FakeClient.connect(clientHub.url);
  const t = await client.issue();
  const phone = await FakePhone.login(phoneHub.url);
  await phone.scan(t.ticketId);
  await phone.confirm(t.ticketId);
  await client.completeLogin(t);
  await client.close();
  return t;
}

/** Runs the CLI to completion (`--no-follow`) and returns its output lines. */
function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/events/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, OPERATOR_TOKEN: "", ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) => resolve({ code, lines: out.split("\n").filter(Boolean) }));
  });
}

describe("on one node (in-process ring)", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await testHub({ NODE_ID: "solo" });
  });
  afterAll(() => hub.close());

  it("serves a readable live page at /dev/events", async () => {
    const res = await fetch(`${hub.url}/dev/events`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("实时事件");
    const script = await fetch(`${hub.url}/dev/events/page.js`);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain("/dev/events/ws");
    expect(html).not.toMatch(/<script>|<style>/); // the CSP runs no inline script
    expect((await fetch(`${hub.url}/dev/events/access`)).status).toBe(204);
  });

  it("gives a tool the recent history, then each event as it happens, filtered by kind", async () => {
    await login(hub, hub);
    const watcher = await watchEvents(hub.url, "?last=100&kind=qr.*");
    expect(watcher.history.map((e) => e.kind)).toEqual([
      "qr.issued",
      "qr.scanned",
      "qr.confirmed",
      "qr.redeemed",
    ]);
    const t = await login(hub, hub);
    const redeemed = await watcher.until((e) => e.kind === "qr.redeemed");
    expect(redeemed).toMatchObject({
      node: "solo",
      data: { ticket: `${t.ticketId.slice(0, 6)}…`, person: "*三" },
    });
    expect(watcher.live.every((e) => e.kind.startsWith("qr."))).toBe(true);
    watcher.close();
  });

  it("keeps a bounded ring", async () => {
    const ring = new MemoryEventStream({ nodeId: "r", clock: systemClock, log: silent, strict: true }, 5);
    for (let i = 0; i < 12; i++) ring.emit("ws.closed", { conn: "0a1b2c3d", code: 1000, seconds: i });
    const recent = await ring.recent(100);
    expect(recent.map((e) => e.data.seconds)).toEqual([7, 8, 9, 10, 11]);
  });

  it("refuses a malformed event in development instead of streaming it", () => {
    const ring = new MemoryEventStream({ nodeId: "r", clock: systemClock, log: silent, strict: true });
    expect(() => ring.emit("qr.cancelled", { ticket: "Tk3xQ9aaaaaaaaaaaaaaaa", by: "client" })).toThrow(
      /masked/,
    );
  });

  it("refuses a watcher page from another origin", async () => {
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/dev/events/ws`, {
      origin: "https://evil.example",
    });
    ws.on("error", () => {});
    const status = await new Promise<number>((r) =>
      ws.on("unexpected-response", (_q, res) => r(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  });

  it("is tailed by the CLI in readable lines", async () => {
    const { code, lines } = await runCli(["--url", hub.url, "--kind", "qr.*", "--no-follow"]);
    expect(code).toBe(0);
    expect(lines.some((l) => /solo\s+qr\.redeemed\s+ticket=\S+… person=\*三 conn=[0-9a-f]{8}/.test(l))).toBe(
      true,
    );
    expect(lines.every((l) => / qr\./.test(l))).toBe(true);
  });
});

describe.each(BUSES)("across nodes (Redis Streams) on %s", (kind) => {
  let redis: TestRedis;
  let a: Hub;
  let b: Hub;
  beforeAll(async () => {
    redis = await testRedis(kind);
    const env = busEnv(redis);
    [a, b] = await Promise.all([
      testHub({ ...env, NODE_ID: "node-a" }),
      testHub({ ...env, NODE_ID: "node-b" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.cleanup();
  });

  it("shows a watcher on node B what happens on node A, live", async () => {
    const watcher = await watchEvents(b.url, "?last=0");
    const t = await login(a, b);
    const mine = (kind: string) => (e: { kind: string; data: Record<string, unknown> }) =>
      e.kind === kind && e.data.ticket === `${t.ticketId.slice(0, 6)}…`;
    expect((await watcher.until(mine("qr.issued"))).node).toBe("node-a");
    expect((await watcher.until(mine("qr.scanned"))).node).toBe("node-b"); // the phone's node moved it
    expect((await watcher.until(mine("qr.confirmed"))).node).toBe("node-b");
    expect((await watcher.until(mine("qr.redeemed"))).node).toBe("node-a");
    expect((await watcher.until((e) => e.kind === "ws.connected")).node).toBe("node-a");
    watcher.close();
  });

  it("lets a late watcher see the last minutes from every node", async () => {
    const t = await login(a, b);
    const late = await watchEvents(a.url, "?last=500&kind=qr.*");
    const ours = late.history.filter((e) => e.data.ticket === `${t.ticketId.slice(0, 6)}…`);
    expect(ours.map((e) => `${e.node} ${e.kind}`)).toEqual([
      "node-a qr.issued",
      "node-b qr.scanned",
      "node-b qr.confirmed",
      "node-a qr.redeemed",
    ]);
    expect(late.history.every((e) => /^\d+-\d+$/.test(e.id ?? ""))).toBe(true); // Redis Stream ids
    late.close();
  });

  it("caps the stream", async () => {
    const bus = new RedisBus(redis.url, `${redis.prefix}cap:`, silent);
    await bus.ready(5000);
    const stream = new RedisEventStream(
      { nodeId: "cap", clock: systemClock, log: silent, strict: true },
      bus,
      50,
    );
    for (let i = 0; i < 1000; i++) stream.emit("ws.closed", { conn: "0a1b2c3d", code: 1000, seconds: i });
    await bus.call((r) => r.exists(bus.key("events"))); // after every XADD: same key, same connection
    const len = await bus.call((r) => r.xlen(bus.key("events")));
    expect(len).toBeLessThan(300); // MAXLEN ~ trims whole nodes of entries: about the cap, never all 1000
    expect(len).toBeGreaterThanOrEqual(50);
    await stream.close();
    await bus.close();
  });

  it("keeps the events a node emits as it closes (its sockets' last closes when it drains)", async () => {
    const bus = new RedisBus(redis.url, `${redis.prefix}last:`, silent);
    await bus.ready(5000);
    const stream = new RedisEventStream(
      { nodeId: "last", clock: systemClock, log: silent, strict: true },
      bus,
    );
    stream.emit("ws.closed", { conn: "0a1b2c3d", code: 1012, seconds: 3 });
    await stream.close();
    await bus.close();
    const reader = new RedisBus(redis.url, `${redis.prefix}last:`, silent);
    await reader.ready(5000);
    const rows = await reader.call((r) => r.xrange(reader.key("events"), "-", "+"));
    await reader.close();
    expect(rows.map(([, fields]) => JSON.parse(fields[1] ?? "{}").data)).toEqual([
      { conn: "0a1b2c3d", code: 1012, seconds: 3 },
    ]);
  });

  it("writes a command issued just before the bus closes ahead of QUIT (auto-pipelined)", async () => {
    const bus = new RedisBus(redis.url, `${redis.prefix}quit:`, silent);
    await bus.ready(5000);
    const written = bus.call((r) => r.set(bus.key("last-word"), "said"));
    await bus.close();
    expect(await written).toBe("OK");
    const reader = new RedisBus(redis.url, `${redis.prefix}quit:`, silent);
    await reader.ready(5000);
    expect(await reader.call((r) => r.get(reader.key("last-word")))).toBe("said");
    await reader.call((r) => r.del(reader.key("last-word")));
    await reader.close();
  });

  it("is tailed by the CLI as JSON, with every node's events", async () => {
    const t = await login(a, b);
    const { code, lines } = await runCli([
      "--url",
      b.url,
      "--json",
      "--kind",
      "qr.*",
      "--last",
      "500",
      "--no-follow",
    ]);
    expect(code).toBe(0);
    const events = lines.map(
      (l) => JSON.parse(l) as { node: string; kind: string; data: { ticket: string } },
    );
    const ours = events.filter((e) => e.data.ticket === `${t.ticketId.slice(0, 6)}…`);
    expect(ours.map((e) => e.kind)).toEqual(["qr.issued", "qr.scanned", "qr.confirmed", "qr.redeemed"]);
    expect(new Set(events.map((e) => e.node))).toEqual(new Set(["node-a", "node-b"]));
  });
});

describe("in production mode", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await testHub({ NODE_ID: "prod", NODE_ENV: "production", OPERATOR_TOKEN });
  });
  afterAll(() => hub.close());

  it("serves the page (it holds no events) and checks the token in the Authorization header only", async () => {
    expect((await fetch(`${hub.url}/dev/events`)).status).toBe(200);
    const access = (init: RequestInit = {}, query = "") =>
      fetch(`${hub.url}/dev/events/access${query}`, init);
    expect((await access()).status).toBe(401);
    expect((await access({ headers: { authorization: "Bearer wrong-token-0000000000" } })).status).toBe(401);
    expect((await access({}, `?token=${OPERATOR_TOKEN}`)).status).toBe(401);
    expect((await access({ headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).status).toBe(204);
  });

  it("needs the operator token for the stream, in a header, never in the URL", async () => {
    await expect(watchEvents(hub.url)).rejects.toThrow(/401/);
    await expect(watchEvents(hub.url, `?token=${OPERATOR_TOKEN}`)).rejects.toThrow(/401/);
    await expect(
      watchEvents(hub.url, "", { authorization: "Bearer wrong-token-0000000000" }),
    ).rejects.toThrow(/401/);
    const w = await watchEvents(hub.url, "", { authorization: `Bearer ${OPERATOR_TOKEN}` });
    w.close();
  });

  it("takes a browser's token from the WebSocket subprotocol and answers with the page's protocol", async () => {
    const url = `${hub.url.replace("http", "ws")}/dev/events/ws`;
    const open = (protocols: string[]) =>
      new Promise<{ status: number; protocol: string }>((resolve) => {
        const ws = new WebSocket(url, protocols, { origin: hub.url });
        ws.on("error", () => {});
        ws.on("open", () => {
          resolve({ status: 101, protocol: ws.protocol });
          ws.close();
        });
        ws.on("unexpected-response", (_q, res) => resolve({ status: res.statusCode ?? 0, protocol: "" }));
      });
    const encoded = (t: string) => `shiming.token.${Buffer.from(t).toString("base64url")}`;
    expect(await open(["shiming.events", encoded(OPERATOR_TOKEN)])).toEqual({
      status: 101,
      protocol: "shiming.events",
    });
    expect((await open(["shiming.events", encoded("wrong-token-0000000000")])).status).toBe(401);
    expect((await open(["shiming.events"])).status).toBe(401);
  });

  it("has the CLI say it needs a token", async () => {
    const refused = await runCli(["--url", hub.url, "--no-follow"]);
    expect(refused.code).toBe(2);
    expect(refused.lines.join("\n")).toMatch(/401.*--token/);
    const allowed = await runCli(["--url", hub.url, "--no-follow"], { OPERATOR_TOKEN });
    expect(allowed.code).toBe(0);
  });

  it("keeps the console shut when no operator token is configured", async () => {
    const shut = await testHub({ NODE_ID: "prod-shut", NODE_ENV: "production" });
    expect((await fetch(`${shut.url}/dev/events`)).status).toBe(401);
    const headers = { authorization: "Bearer anything-at-all-000" };
    expect((await fetch(`${shut.url}/dev/events/access`, { headers })).status).toBe(401);
    await expect(watchEvents(shut.url, "", headers)).rejects.toThrow(/401/);
    await shut.close();
  });
});
