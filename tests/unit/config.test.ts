import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { redactUrl } from "../../server/banner";
import { loadConfig, parseClusterUrl } from "../../server/config";
import { workerCount } from "../../server/workers";

describe("configuration", () => {
  it("uses the documented defaults", () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe("127.0.0.1");
    expect(c.publicUrl).toBe("http://127.0.0.1:8080");
    expect(c.qrTtlS).toBe(120);
    expect(c.caCutoff.toISOString()).toBe("2019-12-31T16:00:00.000Z");
    expect(c.authorizationFrom.toISOString()).toBe("2019-12-31T16:00:00.000Z");
    expect(c.production).toBe(false);
  });

  it("is in production mode only for NODE_ENV=production exactly", () => {
    expect(loadConfig({ NODE_ENV: "production" }).production).toBe(true);
    for (const NODE_ENV of ["development", "test"]) expect(loadConfig({ NODE_ENV }).production).toBe(false);
    for (const NODE_ENV of ["Production", "prod", "production ", "", "dev"]) {
      expect(() => loadConfig({ NODE_ENV }), NODE_ENV).toThrow(/NODE_ENV: must be exactly "production"/);
    }
  });

  it("refuses a malformed cut-off date naming the variable", () => {
    expect(() => loadConfig({ CA_CUTOFF: "1 Jan 2020" })).toThrow(/CA_CUTOFF/);
  });
});

describe("Redis Cluster settings", () => {
  it("turns REDIS_CLUSTER_NODES into a redis+cluster:// URL and parses it back", () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000, 10.0.0.2:7001" });
    expect(c.redisUrl).toBe("redis+cluster://10.0.0.1:7000,10.0.0.2:7001");
    expect(parseClusterUrl(c.redisUrl ?? "")).toEqual({
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
      ],
      username: undefined,
      password: undefined,
    });
  });

  it("takes a redis+cluster:// REDIS_URL with credentials, and shows no password in the banner", () => {
    const url = "redis+cluster://app:s%40cret@r1:6379,r2:6380";
    expect(parseClusterUrl(loadConfig({ REDIS_URL: url }).redisUrl ?? "")).toMatchObject({
      username: "app",
      password: "s@cret",
    });
    expect(redactUrl(url)).toBe("redis+cluster://r1:6379,r2:6380");
  });

  it("refuses a malformed node list, or both settings at once, naming the variable", () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: "r1" })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadConfig({ REDIS_URL: "redis+cluster://r1:x" })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: "redis://r", REDIS_CLUSTER_NODES: "r1:1" })).toThrow(
      /REDIS_CLUSTER_NODES/,
    );
  });
});

describe("WORKERS", () => {
  it("is 1 by default, a count, or auto; anything else names the variable", () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: "4" }).workers).toBe(4);
    expect(loadConfig({ WORKERS: "auto" }).workers).toBe("auto");
    for (const WORKERS of ["0", "two", "1.5"])
      expect(() => loadConfig({ WORKERS }), WORKERS).toThrow(/WORKERS/);
  });

  it("takes one process for the embedded store or the in-process bus: auto means 1, a count above 1 refuses", () => {
    const shared = { DATABASE_URL: "postgres://db/x", REDIS_URL: "redis://r" };
    expect(workerCount(loadConfig({ WORKERS: "auto" }))).toBe(1);
    expect(workerCount(loadConfig({ WORKERS: "auto", ...shared }))).toBe(availableParallelism());
    expect(workerCount(loadConfig({ WORKERS: "3", ...shared }))).toBe(3);
    expect(() => workerCount(loadConfig({ WORKERS: "2", REDIS_URL: "redis://r" }))).toThrow(
      /WORKERS=2 needs DATABASE_URL and REDIS_URL/,
    );
  });
});
