import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisOneUseStore } from "../../../server/bus/one-use";
import { RedisBus } from "../../../server/bus/redis";
import { loadRoots } from "../../../server/company/ca/chain";
import { CaVerifier } from "../../../server/company/ca/verifier";
import { beijingMidnight } from "../../../server/config";
import { freshRedisPrefix, TEST_REDIS_URL } from "../../support/services";
import { type Issued, makeLeaf, makeRoot, sign } from "../../unit/company/ca/pki";

describe("CA nonces on Redis", () => {
  const { prefix, cleanup } = freshRedisPrefix();
  const before = new Date("2019-12-20T10:00:00+08:00");
  const connections: RedisBus[] = [];
  let root: Issued;
  let nodeA: CaVerifier;
  let nodeB: CaVerifier;

  beforeAll(async () => {
    root = await makeRoot();
    const node = () => {
      const redis = new RedisBus(TEST_REDIS_URL, prefix, pino({ level: "silent" }));
      connections.push(redis);
      return new CaVerifier({
        roots: loadRoots(root.pem),
        gates: { caCutoff: beijingMidnight("2020-01-01") },
        nonces: new RedisOneUseStore(redis),
      });
    };
    nodeA = node();
    nodeB = node();
    await Promise.all(connections.map((bus) => bus.ready(10_000)));
  });
  afterAll(async () => {
    await cleanup();
    await Promise.all(connections.map((r) => r.close()));
  });

  it("accepts the answer to a challenge from another node, exactly once when both nodes get it", async () => {
    const leaf = await makeLeaf(root);
    const c = await nodeA.challenge("session-1", "91350100M000100Y43", before);
    if (!c.ok) throw new Error(c.code);
    const answer = { taxId: c.taxId, certificate: leaf.pem, signature: await sign(leaf.keys, c.nonce) };
    const results = await Promise.all([
      nodeB.verify("session-1", answer, before),
      nodeA.verify("session-1", answer, before),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === "CA_CHALLENGE_EXPIRED")).toHaveLength(1);
  });
});
