import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemorySink } from "../../../server/events/sink";
import { adminRoutes, hallAction, internalRoutes, isLoopback, loopbackUrl } from "../../../server/hall/admin";
import { type Db, openStore } from "../../../server/store";
import { TestClock, zhang } from "../../support/accounts-world";

// The admin edge's gate, driven in-process with the peer address the socket would report.

const TOKEN = "k".repeat(43);

describe("the hub's admin edge", () => {
  let db: Db;
  let peer = "127.0.0.1";
  let app: ReturnType<typeof adminRoutes>;
  const events = new MemorySink();
  const logs: string[] = [];

  beforeAll(async () => {
    db = await openStore({ dataDir: ":memory:", databaseUrl: undefined });
    app = adminRoutes(
      TOKEN,
      { hall: hallAction({ db, events, clock: new TestClock(new Date()), nodeId: "node-a" }) },
      { peer: () => peer, log: (l) => logs.push(l) },
    );
  });
  afterAll(() => db.close());

  async function send(action: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await app.request(`/${action}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}`, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }

  const issue = {
    operator: "counter-2",
    command: { command: "issue-code", name: zhang.name, idType: zhang.idType, idNumber: zhang.idNumber },
  };

  it("runs a hall command for a loopback peer with the token", async () => {
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      peer = address;
      const r = await send("hall", issue);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).json.code).toMatch(/^[A-Z0-9]{6}$/);
    }
    expect(events.ofKind("hall.code_issued")).toHaveLength(3);
  });

  it("refuses a peer from the network even with the right token", async () => {
    for (const address of ["192.0.2.7", "::ffff:192.0.2.7", "fd00::2", "unknown"]) {
      peer = address;
      const r = await send("hall", issue);
      expect(r.status).toBe(403);
      expect(JSON.parse(r.text).code).toBe("ORIGIN_NOT_ALLOWED");
    }
    peer = "127.0.0.1";
  });

  it("refuses a missing or wrong token", async () => {
    expect((await send("hall", issue, { authorization: "" })).status).toBe(401);
    expect((await send("hall", issue, { authorization: `Bearer ${TOKEN.slice(1)}` })).status).toBe(401);
    expect((await send("hall", issue, { authorization: TOKEN })).status).toBe(401);
  });

  it("answers a malformed command with BAD_MESSAGE and the path at fault", async () => {
    const wrongType = await send("hall", { ...issue, command: { ...issue.command, idType: "学生证" } });
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.text)).toMatchObject({ code: "BAD_MESSAGE", path: "command.idType" });
    const extra = await send("hall", { ...issue, command: { ...issue.command, admin: true } });
    expect(JSON.parse(extra.text).code).toBe("BAD_MESSAGE");
    expect((await send("hall", "not json")).status).toBe(400);
    expect((await send("hall", { command: issue.command })).status).toBe(400);
  });

  it("answers an unknown action with 404, a huge body with 413", async () => {
    expect((await send("drop-tables", {})).status).toBe(404);
    expect((await send("constructor", {})).status).toBe(404);
    expect((await send("hall", { operator: "x".repeat(100_000) })).status).toBe(413);
  });

  it("never echoes a password it was given", async () => {
    const r = await send("hall", {
      operator: "counter-2",
      command: {
        command: "reset-password",
        idType: zhang.idType,
        idNumber: zhang.idNumber,
        password: "Secret-99x",
      },
    });
    expect(r.status).toBe(404); // not registered
    expect(JSON.parse(r.text).code).toBe("PERSON_NOT_FOUND");
    expect(r.text + logs.join("")).not.toContain("Secret-99x");
  });
});

describe("where the admin edge may be reached", () => {
  it.each([
    ["127.0.0.1", "http://127.0.0.1:8080"],
    ["0.0.0.0", "http://127.0.0.1:8080"],
    ["localhost", "http://localhost:8080"],
    ["::", "http://[::1]:8080"],
    ["192.0.2.2", null],
  ])("a hub bound to %s offers %s", (host, url) => {
    expect(loopbackUrl(host, 8080)).toBe(url);
  });

  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["10.0.0.1", false],
    ["1270.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["", false],
  ])("%s is loopback: %s", (address, yes) => {
    expect(isLoopback(address)).toBe(yes);
  });
});

describe("GET /internal/hub: which store a hub runs on, for tools on this machine", () => {
  let peer = "127.0.0.1";
  const info = { nodeId: "node-a", store: { kind: "pglite" as const, dir: "/srv/shiming/data" } };
  const admin = adminRoutes(TOKEN, {}, { peer: () => peer });
  const app = internalRoutes(info, admin, () => peer);
  const ask = async (headers: Record<string, string> = {}) => {
    const res = await app.request("/hub", { headers });
    return { status: res.status, body: await res.json() };
  };

  it("tells a loopback peer, without the token", async () => {
    expect(await ask()).toEqual({ status: 200, body: info });
  });

  it("tells nobody on the network, nor a peer relayed by a proxy", async () => {
    peer = "192.0.2.7";
    expect(await ask()).toMatchObject({ status: 403, body: { code: "ORIGIN_NOT_ALLOWED" } });
    peer = "127.0.0.1";
    expect(await ask({ "x-forwarded-for": "198.51.100.9" })).toMatchObject({ status: 403 });
  });

  it("leaves the admin actions behind their token", async () => {
    const res = await app.request("/hall", { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
  });
});
