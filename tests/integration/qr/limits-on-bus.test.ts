import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { ManualClock } from "../../../server/kernel/clock";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { testHub } from "../../support/hub-nodes";
import { BUSES, busEnv, type TestRedis, testRedis } from "../../support/redis-cluster";

// The ticket limits per address and per phone hold over two nodes on one real Redis (where each is
// counted inside the ticket's own script: with the write, with the read) and on a real Redis Cluster
// (where the counter lives in another slot and is counted on its own beside it): one count either way.

describe.each(BUSES)("on %s", (bus) => {
  let redis: TestRedis;
  let a: Hub;
  let b: Hub;

  beforeAll(async () => {
    redis = await testRedis(bus);
    const env = {
      ...busEnv(redis),
      HUB_LIMITS: JSON.stringify({ ticketsPerIpPerMinute: 5, scansPerPhonePerMinute: 3 }),
    };
    // One still clock for both nodes: a minute window cannot turn in the middle of a count.
    const clock = new ManualClock(Date.now());
    [a, b] = await Promise.all([
      testHub({ ...env, NODE_ID: "limits-a" }, { clock }),
      testHub({ ...env, NODE_ID: "limits-b" }, { clock }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.cleanup();
  });

  it("one address gets its tickets per minute over both nodes, then TOO_MANY_TICKETS; 刷新 past it keeps the old QR", async () => {
    const onA = await FakeClient.connect(a.url);
    const onB = await FakeClient.connect(b.url);
    try {
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(await (i % 2 ? onB : onA).request({ type: "qr.issue" }));
      const last = await onA.issue(); // the fifth: still within
      replies.push(await onB.request({ type: "qr.issue" }));
      expect(replies.map((r) => (r.type === "error" ? r.code : r.type))).toEqual([
        "qr.ticket",
        "qr.ticket",
        "qr.ticket",
        "qr.ticket",
        "TOO_MANY_TICKETS",
      ]);
      const refresh = await onA.request({ type: "qr.issue", replaces: last.ticketId });
      expect(refresh).toMatchObject({ type: "error", code: "TOO_MANY_TICKETS" });
      const phone = await FakePhone.login(b.url);
      expect((await phone.view(last.ticketId)).body).toMatchObject({ state: "waiting" }); // not replaced
    } finally {
      await Promise.all([onA.close(), onB.close()]);
    }
  });

  it("one phone session scans so many tickets per minute (tickets of node A, read on node B), then 429", async () => {
    // Another address's tickets: 127.0.0.2 has its own ticket limit.
    const { port } = new URL(a.url);
    const client = await FakeClient.connect(a.url, {
      createConnection: () => connect({ host: "127.0.0.1", port: Number(port), localAddress: "127.0.0.2" }),
    });
    const phone = await FakePhone.login(b.url); // its session lives in node B's store
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await phone.scan((await client.issue()).ticketId)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await client.close();
    }
  });
});
