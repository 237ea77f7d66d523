import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BannerFacts, redactUrl, startBanner } from "../../../server/banner";
import { EXTENSION_ID } from "../../../shared/extension-id";
import { spawnHub } from "../../support/hub-nodes";
import { freshPgDatabase, freshRedisPrefix, TEST_REDIS_URL } from "../../support/services";

// What `npm start` tells a newcomer once the hub listens.

describe("npm start's output", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("says where to open the pages, the console and the extension, and that dev adapters are on", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shiming-start-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const hub = await spawnHub({ DATA_DIR: dir });
    cleanups.push(() => hub.kill());
    const out = hub.output();
    for (const text of [
      `listening on ${hub.url}`,
      `${hub.url}/healthz`,
      `${hub.url}/app `,
      `${hub.url}/web/register`,
      `${hub.url}/dev/events`,
      `npm run events -- --url ${hub.url}`,
      "npm run demo",
      "npm run hall -- --help",
      EXTENSION_ID,
      ".output/chrome-mv3",
      `store  embedded PGlite in ${dir}`,
      "bus    in-process",
      "mode   development",
      "!! DEVELOPMENT ADAPTERS ON",
    ]) {
      expect(out).toContain(text);
    }
  });

  it("names PostgreSQL and Redis without their credentials, and stays quiet about dev adapters in production", async () => {
    const pg = await freshPgDatabase();
    const redis = freshRedisPrefix();
    cleanups.push(
      () => pg.drop(),
      () => redis.cleanup(),
    );
    const db = new URL(pg.url);
    db.password = "db-secret-pw";
    const hub = await spawnHub({
      DATABASE_URL: db.toString(),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redis.prefix,
      NODE_ENV: "production",
      OPERATOR_TOKEN: "operator-token-0123456789",
    });
    await hub.kill();
    const out = hub.output();
    expect(out).toContain(`store  PostgreSQL postgres://${db.host}${db.pathname} (DATABASE_URL`);
    expect(out).toContain(`bus    Redis ${redactUrl(TEST_REDIS_URL)}, prefix ${redis.prefix}`);
    expect(out).toContain("mode   production");
    expect(out).not.toContain("db-secret-pw");
    expect(out).not.toContain("DEVELOPMENT ADAPTERS");
  });
});

describe("the start banner", () => {
  const facts: BannerFacts = {
    nodeId: "n1",
    url: "http://127.0.0.1:8080",
    publicUrl: "http://127.0.0.1:8080",
    store: { kind: "pglite", dir: null },
    bus: { kind: "memory" },
    production: false,
    devAdapters: true,
    devFaceIds: 2,
    extensionBuilt: true,
    pagesBuilt: true,
    hubOrigins: [],
  };
  const text = (f: Partial<BannerFacts>) => startBanner({ ...facts, ...f }).join("\n");

  it("gives the build command when the extension is not built yet", () => {
    expect(text({ extensionBuilt: false })).toContain("not built yet: npm run build:ext");
    expect(text({ extensionBuilt: true })).not.toContain("not built yet");
    expect(text({ pagesBuilt: false })).toContain("npm run build:web");
  });

  it("says the default console command plainly and names other hubs' origins", () => {
    expect(text({})).toContain("in a terminal: npm run events\n");
    expect(text({ hubOrigins: ["https://b.example"] })).toContain("follow QR links of: https://b.example");
  });

  it("warns when development adapters are turned on in production", () => {
    expect(text({ production: true, devAdapters: true })).toContain(
      "turned on in production by DEV_ADAPTERS=1",
    );
    expect(text({ production: true, devAdapters: false })).not.toContain("!!");
    expect(text({})).toContain("in memory (DATA_DIR=:memory:, nothing is kept)");
  });

  it("never prints a connection string's user or password", () => {
    expect(redactUrl("postgres://app:s3cret@db.internal:5432/tax")).toBe("postgres://db.internal:5432/tax");
    expect(redactUrl("redis://:s3cret@cache:6379")).toBe("redis://cache:6379");
    expect(redactUrl("not a url")).toBe("(unparsable URL)");
  });
});
