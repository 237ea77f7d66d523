import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisOneUseStore } from "../../../server/bus/one-use";
import { RedisBus } from "../../../server/bus/redis";
import { CAPTCHA_TTL_MS, CaptchaService } from "../../../server/captcha/service";
import { freshRedisPrefix, TEST_REDIS_URL } from "../../support/services";

describe("captcha on Redis", () => {
  const { prefix, cleanup } = freshRedisPrefix();
  let nodeA: RedisBus;
  let nodeB: RedisBus;
  const now = new Date();
  const make = (bus: RedisBus) =>
    new CaptchaService({ store: new RedisOneUseStore(bus), newText: () => "HX47" });

  beforeAll(async () => {
    nodeA = new RedisBus(TEST_REDIS_URL, prefix, pino({ level: "silent" }));
    nodeB = new RedisBus(TEST_REDIS_URL, prefix, pino({ level: "silent" }));
    await Promise.all([nodeA.ready(10_000), nodeB.ready(10_000)]);
  });
  afterAll(async () => {
    await cleanup();
    await Promise.all([nodeA.close(), nodeB.close()]);
  });

  it("stores the hashed answer with a 5-minute TTL and lets another node check it", async () => {
    const { id } = await make(nodeA).issue("login", now);
    const keys = await nodeA.redis.keys(`${prefix}captcha:*`);
    expect(keys).toHaveLength(1);
    const ttl = await nodeA.redis.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(CAPTCHA_TTL_MS - 10_000);
    expect(ttl).toBeLessThanOrEqual(CAPTCHA_TTL_MS);
    expect(await nodeA.redis.get(keys[0] as string)).not.toContain("HX47");

    expect(await make(nodeB).check("login", { id, answer: "hx47" }, now)).toEqual({ ok: true });
    expect(await nodeA.redis.exists(keys[0] as string)).toBe(0);
  });

  it("lets exactly one of many simultaneous checks on two nodes pass", async () => {
    const { id } = await make(nodeA).issue("login", now);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        make(i % 2 ? nodeA : nodeB).check("login", { id, answer: "HX47" }, now),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === "CAPTCHA_EXPIRED")).toHaveLength(19);
  });

  it("burns the captcha on a wrong answer on any node", async () => {
    const { id } = await make(nodeA).issue("declaration", now);
    expect(await make(nodeB).check("declaration", { id, answer: "HX48" }, now)).toEqual({
      ok: false,
      code: "CAPTCHA_WRONG",
    });
    expect(await make(nodeA).check("declaration", { id, answer: "HX47" }, now)).toEqual({
      ok: false,
      code: "CAPTCHA_EXPIRED",
    });
  });
});
