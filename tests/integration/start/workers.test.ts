import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { type HubProcess, spawnHub, watchEvents } from "../../support/hub-nodes";
import { freshPgDatabase, freshRedisPrefix, TEST_REDIS_URL } from "../../support/services";

// WORKERS=2: one node, two processes behind one port (node:cluster), each a full hub on Redis and
// PostgreSQL. A phone's confirm served by one worker reaches the client socket held by the other.

const redis = freshRedisPrefix();
let pg: Awaited<ReturnType<typeof freshPgDatabase>>;
let hub: HubProcess;

beforeAll(async () => {
  pg = await freshPgDatabase();
  hub = await spawnHub({
    WORKERS: "2",
    NODE_ID: "box",
    DATABASE_URL: pg.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redis.prefix,
    HUB_LIMITS: JSON.stringify({ ticketsPerIpPerMinute: 1000, scansPerPhonePerMinute: 1000 }),
  });
});

afterAll(async () => {
  await hub?.kill("SIGTERM");
  await redis.cleanup();
  await pg?.drop();
});

const nodeOf = (c: FakeClient) => {
  const w = c.inbox.find((m) => m.type === "welcome");
  return w?.type === "welcome" ? w.node : "";
};

describe("WORKERS=2 on one port", () => {
  it("prints one banner naming the workers, and serves from both", async () => {
    expect(hub.output().match(/listening on/g)).toHaveLength(1);
    expect(hub.output()).toMatch(/workers 2 processes on one port/);
    const clients: FakeClient[] = [];
    for (let i = 0; i < 10 && new Set(clients.map(nodeOf)).size < 2; i++)
      clients.push(await FakeClient.connect(hub.url));
    expect(new Set(clients.map(nodeOf))).toEqual(new Set(["box-w1", "box-w2"]));
    await Promise.all(clients.map((c) => c.close()));
  });

  it("pushes a confirm served by one worker to the client held by the other", async () => {
    const watcher = await watchEvents(hub.url, "?last=0");
    const phone = await FakePhone.login(hub.url);
    const clients: FakeClient[] = [];
    for (let i = 0; i < 10 && new Set(clients.map(nodeOf)).size < 2; i++)
      clients.push(await FakeClient.connect(hub.url));
    let crossed = 0;
    for (const client of clients) {
      const t = await client.issue();
      expect((await phone.scan(t.ticketId)).status).toBe(200);
      expect((await phone.confirm(t.ticketId)).status).toBe(200);
      const confirmed = await watcher.until(
        (e) => e.kind === "qr.confirmed" && e.data.ticket === `${t.ticketId.slice(0, 6)}…`,
      );
      if (confirmed.node !== nodeOf(client)) crossed += 1;
      const session = await client.completeLogin(t);
      expect(session.handler.maskedName).toBe("*三");
    }
    // The phone's keep-alive connection stays on one worker; the clients are on both.
    expect(crossed).toBeGreaterThan(0);
    watcher.close();
    await Promise.all(clients.map((c) => c.close()));
  });

  it("closes every worker on SIGTERM and exits 0", async () => {
    await hub.kill("SIGTERM");
    expect(await hub.exited).toBe(0);
  });
});

describe("WORKERS with the embedded store", () => {
  it("refuses to start several workers on PGlite or the in-process bus, saying why", async () => {
    await expect(spawnHub({ WORKERS: "2" })).rejects.toThrow(
      /hub not started: WORKERS=2 needs DATABASE_URL and REDIS_URL/,
    );
  });
});
