import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { CLOSE } from "../../../shared/protocol";
import { freshPgDatabase, freshRedisPrefix, TEST_REDIS_URL } from "../../support/services";
import { emptyStore, handler, handshakeHub, loggedInClient, seedPerson } from "../../support/world";
import { hall } from "./run";

// The tax hall's password reset (server/hall/cli.ts, a process of its own) ends the person's sessions;
// their open client closes at once — whether the CLI goes through the hub holding the embedded store,
// or works on PostgreSQL itself and tells the nodes through Redis.

const resetArgs = ["reset-password", "--id-type", handler.idType, "--id-number", handler.idNumber];

async function resetClosesTheClient(hub: Hub, env: Record<string, string>) {
  const { client } = await loggedInClient(hub.url, handler);
  const r = await hall([...resetArgs, "--password", "-", "--json"], env, "Hall-passw0rd\n");
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ sessionsEnded: 1, wasLocked: false });
  expect(await client.next("session.ended")).toMatchObject({
    reason: "password_reset",
    message: "密码已重置，请重新登录",
  });
  expect((await client.closed).code).toBe(CLOSE.SESSION_ENDED.code);
}

describe("a password reset at the tax hall", () => {
  it("closes the handler's client at once when the CLI goes through the hub holding the embedded store", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shiming-hall-hub-"));
    const hub = await handshakeHub({ NODE_ID: "hall-embedded", DATA_DIR: dir });
    await seedPerson(hub.db, handler);
    await resetClosesTheClient(hub, { DATA_DIR: dir });
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe("on PostgreSQL", () => {
    const redis = freshRedisPrefix();
    let pg: Awaited<ReturnType<typeof freshPgDatabase>>;
    let hub: Hub;
    beforeAll(async () => {
      pg = await freshPgDatabase();
      hub = await handshakeHub({
        NODE_ID: "hall-pg",
        DATABASE_URL: pg.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: redis.prefix,
      });
    });
    beforeEach(async () => {
      await emptyStore(hub.db);
      await seedPerson(hub.db, handler);
    });
    afterAll(async () => {
      await hub.close();
      await redis.cleanup();
      await pg.drop();
    });

    it("closes the handler's client at once through Redis when REDIS_URL is set", async () => {
      await resetClosesTheClient(hub, {
        DATABASE_URL: pg.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: redis.prefix,
      });
    });

    it("ends the session at the client's next step when the CLI has no Redis to tell", async () => {
      const { client } = await loggedInClient(hub.url, handler);
      const r = await hall([...resetArgs, "--password", "-"], { DATABASE_URL: pg.url }, "Hall-passw0rd2\n");
      expect(r.code, r.stderr).toBe(0);
      client.send({ type: "company.list" });
      expect(await client.next("session.ended")).toMatchObject({ reason: "password_reset" });
      expect((await client.closed).code).toBe(CLOSE.SESSION_ENDED.code);
    });
  });
});
