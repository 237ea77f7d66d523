import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../server/bus";
import type { Hub } from "../../../server/hub";
import { BusProbe } from "../../../server/ops/bus-probe";
import { readiness } from "../../../server/ops/readiness";
import { openPostgres } from "../../../server/store/postgres";
import { eventually, freePort, OwnRedis, testHub } from "../../support/hub-nodes";
import { freshPgDatabase, freshRedisPrefix } from "../../support/services";

// `/readyz` against real services: a redis-server of this test's own, stopped and started again
// under a running hub, and a PostgreSQL database dropped under an open pool.

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("/readyz on Redis", () => {
  let redis: OwnRedis;
  let hub: Hub;
  const prefix = freshRedisPrefix("ready");

  beforeAll(async () => {
    redis = await OwnRedis.start();
    hub = await testHub({ NODE_ID: "ready-a", REDIS_URL: redis.url, REDIS_PREFIX: prefix.prefix });
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await redis?.stop();
  });

  it("is 200 while store and bus answer, 503 while Redis is stopped, 200 again once it is back", async () => {
    expect(await readyz(hub.url)).toEqual({
      status: 200,
      body: { ready: true, node: "ready-a", draining: false, store: "ok", bus: "ok" },
    });

    await redis.kill();
    const down = await eventually(async () => {
      const r = await readyz(hub.url);
      return r.status === 503 ? r : null;
    }, 30_000);
    expect(down.body).toMatchObject({ ready: false, bus: "down", store: "ok", draining: false });
    // Liveness is another question: the process still answers.
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);

    await redis.start();
    const up = await eventually(async () => {
      const r = await readyz(hub.url);
      return r.status === 200 ? r : null;
    }, 30_000);
    expect(up.body).toMatchObject({ ready: true, bus: "ok" });
  }, 90_000);
});

describe("a node starting while Redis is away", () => {
  it("answers 503 to everything but /healthz (liveness) until its bus is ready; then /readyz 200", async () => {
    const redis = await OwnRedis.start();
    await redis.kill();
    const prefix = freshRedisPrefix("ready");
    const port = await freePort();
    const starting = testHub({
      NODE_ID: "ready-late",
      PORT: String(port),
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix.prefix,
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      const early = await eventually(async () => (await fetch(`${url}/readyz`)).status, 30_000);
      expect(early).toBe(503);
      const alive = await fetch(`${url}/healthz`);
      expect(alive.status).toBe(200);
      expect(await alive.json()).toEqual({ ok: true, node: "ready-late", starting: true });
      expect((await fetch(`${url}/app`)).status).toBe(503);
      await redis.start();
      const hub = await starting;
      expect((await readyz(hub.url)).status).toBe(200);
      await hub.close();
    } finally {
      await starting.then((h) => h.close()).catch(() => {});
      await redis.stop();
    }
  }, 180_000);
});

describe("readiness of a node", () => {
  it("is not ready while draining, nor while its PostgreSQL database is gone", async () => {
    const pg = await freshPgDatabase("ready");
    const db = await openPostgres(pg.url);
    const bus = new MemoryBus();
    const probe = await BusProbe.start(bus, "ready-b");
    try {
      const deps = { nodeId: "ready-b", db, probe };
      expect(await readiness({ ...deps, draining: () => false })).toMatchObject({ ready: true, store: "ok" });
      expect(await readiness({ ...deps, draining: () => true })).toMatchObject({
        ready: false,
        draining: true,
        store: "ok",
        bus: "ok",
      });
      await pg.drop();
      expect(await readiness({ ...deps, draining: () => false })).toMatchObject({
        ready: false,
        store: "down",
        bus: "ok",
      });
    } finally {
      probe.close();
      await bus.close();
      await db.close().catch(() => {});
      await pg.drop();
    }
  }, 60_000);
});
