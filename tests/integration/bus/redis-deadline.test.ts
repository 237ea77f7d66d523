import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BusUnavailable } from "../../../server/bus/bus";
import { CALL_DEADLINE_MS, RedisBus } from "../../../server/bus/redis";
import { freshRedisPrefix, TEST_REDIS_URL } from "../../support/services";

// A command that never answers (on a Redis Cluster: one the cluster keeps re-queueing while a shard
// fails over) is refused UNAVAILABLE once CALL_DEADLINE_MS has passed: a request never hangs on the bus.

describe("the Redis bus's deadline", () => {
  const { prefix, cleanup } = freshRedisPrefix("deadline");
  let bus: RedisBus;

  beforeAll(async () => {
    bus = new RedisBus(TEST_REDIS_URL, prefix, pino({ level: "silent" }));
    expect(await bus.ready(10_000)).toBe(true);
  });
  afterAll(async () => {
    await cleanup();
    await bus.close();
  });

  it("turns a command that never settles into BusUnavailable", async () => {
    const started = Date.now();
    const err = await bus.call(() => new Promise<never>(() => {})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusUnavailable);
    expect(Date.now() - started).toBeGreaterThanOrEqual(CALL_DEADLINE_MS - 50);
  });

  it("leaves commands that answer in time as they are", async () => {
    const key = bus.key("deadline-probe");
    expect(await bus.call((r) => r.set(key, "1", "PX", 10_000))).toBe("OK");
    expect(await bus.call((r) => r.get(key))).toBe("1");
  });
});
