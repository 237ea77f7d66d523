import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisKeys } from "../../../server/bus/keys";
import type { Hub } from "../../../server/hub";
import { decodeTicket } from "../../../server/qr/ticket";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { eventually, testHub } from "../../support/hub-nodes";
import { BUSES, busEnv, type TestRedis, testRedis } from "../../support/redis-cluster";
import { ticketAndPhone } from "./steps";

// Two hub nodes on one real Redis, and on a real Redis Cluster: the client on one, the phone on the
// other. The ticket's state in Redis is the truth; pub/sub (sharded on the cluster) only tells the
// node holding the client to look.

describe.each(BUSES)("on %s", (bus) => {
  let redis: TestRedis;
  let a: Hub;
  let b: Hub;
  let stopSpy: () => void;
  const hinted: string[] = []; // channels a "ticket changed" hint went to

  beforeAll(async () => {
    redis = await testRedis(bus);
    const env = {
      ...busEnv(redis),
      HUB_LIMITS: JSON.stringify({
        messagesPerSecond: 200,
        floodMessagesPerSecond: 400,
        ticketsPerConnectionPerMinute: 100,
        ticketsPerIpPerMinute: 1000,
        scansPerPhonePerMinute: 100,
      }),
    };
    [a, b] = await Promise.all([
      testHub({ ...env, NODE_ID: "node-a" }),
      testHub({ ...env, NODE_ID: "node-b" }),
    ]);
    const channels = ["node-a", "node-b"].map((n) => `${redis.prefix}bus:qr.changed.${n}`);
    stopSpy = await redis.spy(channels, (channel) => hinted.push(channel.slice(redis.prefix.length)));
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    stopSpy?.();
    await redis?.cleanup();
  });

  describe("QR login across two nodes", () => {
    it("logs in a client on node A with a phone on node B", async () => {
      const { client, t, phone } = await ticketAndPhone(a.url, b.url);
      const view = await phone.view(FakePhone.ticketIdOf(t.url));
      expect(view.body).toMatchObject({ state: "waiting", asker: { client: "扣缴客户端", ip: "127.0.0.1" } });
      await phone.scan(t.ticketId);
      expect(await client.state(t.ticketId, "scanned")).toMatchObject({ maskedName: "*三" });
      await phone.confirm(t.ticketId);
      const session = await client.completeLogin(t);
      expect(session.handler.maskedName).toBe("*三");
      await client.close();
    });

    it("tells only the node holding the client that its ticket changed", async () => {
      hinted.length = 0;
      const { client, t, phone } = await ticketAndPhone(a.url, b.url);
      await phone.scan(t.ticketId);
      await phone.confirm(t.ticketId);
      await client.completeLogin(t);
      await eventually(() => hinted.length >= 2);
      expect(new Set(hinted)).toEqual(new Set(["bus:qr.changed.node-a"]));
      await client.close();
    });

    it("lets exactly one of two phones win when they scan and confirm the same ticket at once", async () => {
      const [phoneOnA, phoneOnB] = await Promise.all([
        FakePhone.login(a.url, "dev-zhang-san"),
        FakePhone.login(b.url, "dev-li-si"),
      ]);
      const client = await FakeClient.connect(a.url);
      for (let round = 0; round < 10; round++) {
        const t = await client.issue();
        const scans = await Promise.all([phoneOnA.scan(t.ticketId), phoneOnB.scan(t.ticketId)]);
        expect(scans.map((s) => s.status).sort()).toEqual([200, 409]);
        const confirms = await Promise.all([phoneOnA.confirm(t.ticketId), phoneOnB.confirm(t.ticketId)]);
        expect(confirms.filter((c) => c.status === 200)).toHaveLength(1);
        expect(confirms.find((c) => c.status !== 200)?.body.code).toMatch(
          /TICKET_ALREADY_SCANNED|TICKET_USED/,
        );
        const winner = scans[0]?.status === 200 ? "*三" : "*四";
        const session = await client.completeLogin(t);
        expect(session.handler.maskedName).toBe(winner);
        expect(
          client.all("qr.state").filter((s) => s.ticketId === t.ticketId && s.state === "confirmed"),
        ).toHaveLength(1);
      }
      await client.close();
    });

    it("lets the same phone's two simultaneous confirmations produce one grant", async () => {
      const { client, t, phone } = await ticketAndPhone(a.url, b.url);
      await phone.scan(t.ticketId);
      const twin = new FakePhone(a.url, phone.token); // same session token, but node A's dev login never saw it
      expect((await twin.confirm(t.ticketId)).status).toBe(401);
      // One wins; the other is the same phone asking again, and is told the same: confirmed.
      const both = await Promise.all([phone.confirm(t.ticketId), phone.confirm(t.ticketId)]);
      expect(both.map((r) => [r.status, r.body.state])).toEqual([
        [200, "confirmed"],
        [200, "confirmed"],
      ]);
      await client.completeLogin(t);
      expect(client.all("qr.state").filter((s) => s.state === "confirmed" && s.grant)).toHaveLength(1);
      await client.close();
    });

    it("resumes a client on node B that lost its socket on node A, with the current state at once", async () => {
      const { client, t, phone } = await ticketAndPhone(a.url, b.url);
      await phone.scan(t.ticketId);
      await client.state(t.ticketId, "scanned");
      client.closeConnection();
      const back = await FakeClient.connect(b.url, {
        resume: { ticket: { id: t.ticketId, secret: t.secret } },
      });
      expect(await back.state(t.ticketId, "scanned")).toMatchObject({ maskedName: "*三" });
      hinted.length = 0;
      await phone.confirm(t.ticketId);
      await back.completeLogin(t);
      expect(hinted).toEqual(["bus:qr.changed.node-b"]); // the ticket now names node B as its holder
      await back.close();
    });

    it("does not lose a confirmation made while the client was away", async () => {
      const { client, t, phone } = await ticketAndPhone(a.url, b.url);
      await phone.scan(t.ticketId);
      const firstGrant = (
        await (async () => {
          await phone.confirm(t.ticketId);
          return client.state(t.ticketId, "confirmed");
        })()
      ).grant;
      client.closeConnection(); // gone before redeeming
      const back = await FakeClient.connect(b.url, {
        resume: { ticket: { id: t.ticketId, secret: t.secret } },
      });
      const again = await back.state(t.ticketId, "confirmed");
      expect(again.grant).toBeDefined();
      expect(again.grant).not.toBe(firstGrant); // a new grant for the new socket; the old one is void
      expect(await back.redeem(t, firstGrant ?? "")).toMatchObject({ type: "error", code: "GRANT_INVALID" });
      expect((await back.redeem(t, again.grant ?? "")).type).toBe("session");
      await back.close();
    });

    it("lets only one of two redemptions on two nodes through", async () => {
      const { client, t, phone } = await ticketAndPhone(a.url, b.url);
      await phone.scan(t.ticketId);
      await phone.confirm(t.ticketId);
      const { grant } = await client.state(t.ticketId, "confirmed");
      const other = await FakeClient.connect(b.url);
      const replies = await Promise.all([client.redeem(t, grant ?? ""), other.redeem(t, grant ?? "")]);
      expect(replies.map((r) => r.type).sort()).toEqual(["error", "session"]);
      expect(replies.find((r) => r.type === "error")).toMatchObject({ code: "TICKET_USED" });
      await Promise.all([client.close(), other.close()]);
    });

    it("keeps the ticket in Redis under the prefix, with a TTL, and only hashes of its secrets", async () => {
      const client = await FakeClient.connect(a.url);
      const t = await client.issue();
      const key = `${redis.prefix}${redisKeys.ticket(t.ticketId)}`;
      const r = redis.client();
      const stored = (await r.hget(key, "data")) ?? "";
      expect(stored).not.toContain(t.secret);
      expect(stored.length).toBeLessThan(230); // the compact stored form of a waiting ticket (OS and origin included)
      expect(decodeTicket(t.ticketId, stored)).toMatchObject({
        id: t.ticketId,
        state: "waiting",
        holder: { node: "node-a" },
      });
      expect(await r.pttl(key)).toBeGreaterThan(120_000);
      r.disconnect();
      await client.close();
    });
  });
});
