import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { CLOSE } from "../../../shared/protocol";
import { freshPgDatabase, freshRedisPrefix, TEST_REDIS_URL } from "../../support/services";
import { handler, handshakeHub, loggedInClient, seedPerson } from "./world";

// The tax hall's reset runs in a process of its own (server/hall/cli.ts). With REDIS_URL it tells the
// hub nodes through Redis, and the handler's open client closes at once.

const redis = freshRedisPrefix();
let pg: Awaited<ReturnType<typeof freshPgDatabase>>;
let hub: Hub;

beforeAll(async () => {
  pg = await freshPgDatabase();
  hub = await handshakeHub({
    NODE_ID: "hall-hub",
    DATABASE_URL: pg.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redis.prefix,
  });
  await seedPerson(hub.db, handler);
});
afterAll(async () => {
  await hub.close();
  await redis.cleanup();
  await pg.drop();
});

function hallCli(
  args: string[],
  env: Record<string, string>,
  stdin: string,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const { DATA_DIR: _, ...inherited } = process.env;
    const child = spawn("npx", ["tsx", "server/hall/cli.ts", ...args], { env: { ...inherited, ...env } });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

describe("a password reset at the tax hall", () => {
  it("closes the handler's open client on the hub, through Redis", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    const r = await hallCli(
      [
        "reset-password",
        "--id-type",
        handler.idType,
        "--id-number",
        handler.idNumber,
        "--password",
        "-",
        "--json",
      ],
      { DATABASE_URL: pg.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redis.prefix },
      "Hall-passw0rd\n",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ sessionsEnded: 1, wasLocked: false });
    expect(await client.next("session.ended")).toMatchObject({ reason: "password_reset" });
    expect((await client.closed).code).toBe(CLOSE.SESSION_ENDED.code);
  });
});
