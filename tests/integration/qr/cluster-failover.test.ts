import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisKeys } from "../../../server/bus/keys";
import type { Hub } from "../../../server/hub";
import { FakeClient } from "../../support/fake-client";
import { FakePhone, type PhoneReply } from "../../support/fake-phone";
import { testHub } from "../../support/hub-nodes";
import { busEnv, OwnCluster, shardOf, type TestRedis, testRedis } from "../../support/redis-cluster";

// A Redis Cluster master dies mid-flow (SIGKILL; its replica takes over after cluster-node-timeout).
// Two hub nodes on a cluster of this test's own: 30 clients wait on node A, a phone confirms on node B.
// The dying master serves node A's hint channel and some of the tickets. No confirmation may be lost:
// a confirm the phone got 200 for reaches its client; one refused while the shard is away is refused
// UNAVAILABLE (the phone is told and tries again), never answered 200 and dropped.

const CLIENTS = 30;
let cluster: OwnCluster;
let redis: TestRedis;
let a: Hub;
let b: Hub;

beforeAll(async () => {
  cluster = await OwnCluster.start();
  redis = await testRedis("redis-cluster", "failover", cluster);
  const env = {
    ...busEnv(redis),
    HUB_LIMITS: JSON.stringify({ ticketsPerIpPerMinute: 10_000, scansPerPhonePerMinute: 10_000 }),
  };
  [a, b] = await Promise.all([
    testHub({ ...env, NODE_ID: "node-a" }),
    testHub({ ...env, NODE_ID: "node-b" }),
  ]);
}, 120_000);

afterAll(async () => {
  try {
    await Promise.all([a?.close(), b?.close()]);
  } finally {
    await cluster?.stop();
  }
});

/** Confirms until an answer other than UNAVAILABLE; counts how often the phone was told to retry. */
async function confirmTold(phone: FakePhone, id: string, told: { n: number }): Promise<PhoneReply> {
  for (;;) {
    const r = await phone.confirm(id);
    if (r.status !== 503) return r;
    expect(r.body.code).toBe("UNAVAILABLE");
    told.n += 1;
    await new Promise((res) => setTimeout(res, 100)); // a retry pace, as the phone page's
  }
}

describe("a Redis Cluster master failing over mid-flow", () => {
  it("loses no confirmation: every client confirmed on node B hears it on node A and logs in", async () => {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => FakeClient.connect(a.url)));
    const tickets = await Promise.all(clients.map((c) => c.issue()));
    const phone = await FakePhone.login(b.url);
    const scans = await Promise.all(tickets.map((t) => phone.scan(t.ticketId)));
    expect(scans.every((s) => s.status === 200)).toBe(true);
    await Promise.all(clients.map((c, i) => c.state(tickets[i]?.ticketId ?? "", "scanned")));

    // The shard that carries node A's hints: killing its master cuts the push path itself.
    const channel = `${redis.prefix}${redisKeys.channel("qr.changed.node-a")}`;
    const shard = await shardOf(redis, channel);
    expect(shard.replica).toBeDefined();
    const onShard = await Promise.all(
      tickets.map(
        async (t) => (await shardOf(redis, `${redis.prefix}${redisKeys.ticket(t.ticketId)}`)).master,
      ),
    );
    expect(onShard.filter((m) => m === shard.master).length).toBeGreaterThan(0); // some tickets die with it too

    const told = { n: 0 };
    const before = tickets.slice(0, 10);
    for (const t of before) expect((await confirmTold(phone, t.ticketId, told)).status).toBe(200);

    cluster.kill(shard.master);
    // Confirmed while the master is dead and while its replica takes over, one after another.
    for (const t of tickets.slice(10)) {
      const r = await confirmTold(phone, t.ticketId, told);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    // The last confirms went through, so the shard has a master again: its replica.
    expect((await shardOf(redis, channel)).master).toBe(shard.replica);

    const sessions = await Promise.all(
      clients.map(async (c, i) => {
        const t = tickets[i] ?? { ticketId: "", secret: "" };
        const { grant } = await c.state(t.ticketId, "confirmed", 30_000);
        const r = await c.redeem(t, grant ?? "");
        if (r.type !== "session") throw new Error(`client ${i} got ${JSON.stringify(r)}`);
        return r;
      }),
    );
    expect(new Set(sessions.map((s) => s.token)).size).toBe(CLIENTS);
    console.info(`failover: the phone was told UNAVAILABLE ${told.n} time(s) and retried; 0 lost`);
    await Promise.all(clients.map((c) => c.close()));
  });

  it("a shard with no replica left answers UNAVAILABLE, never hangs", async () => {
    // The first test's dead master never came back: the shard's master now is its last server.
    const channel = `${redis.prefix}${redisKeys.channel("qr.changed.node-a")}`;
    const shard = await shardOf(redis, channel);
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => FakeClient.connect(a.url)));
    const tickets = await Promise.all(clients.map((c) => c.issue()));
    const phone = await FakePhone.login(b.url);
    const onShard = [];
    for (const t of tickets) {
      if ((await shardOf(redis, `${redis.prefix}${redisKeys.ticket(t.ticketId)}`)).master === shard.master)
        onShard.push(t);
    }
    const doomed = onShard[0];
    if (!doomed) throw new Error(`none of ${CLIENTS} tickets is on ${shard.master}`);
    expect((await phone.scan(doomed.ticketId)).status).toBe(200);

    cluster.kill(shard.master);
    // Nothing can take over: every try is refused UNAVAILABLE (the phone is told, and tries again).
    for (let i = 0; i < 3; i++) {
      const r = await phone.confirm(doomed.ticketId);
      expect(r.status, JSON.stringify(r.body)).toBe(503);
      expect(r.body.code).toBe("UNAVAILABLE");
    }
    await Promise.all(clients.map((c) => c.close()));
  });
});
