import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { eventually, OwnRedis, testHub, watchEvents } from "../../support/hub-nodes";

// Redis crashes in the middle of a login and comes back. Meanwhile both nodes answer UNAVAILABLE
// (retryable) and stay up; afterwards they reconnect, resubscribe and finish the login by themselves.

let redis: OwnRedis;
let a: Hub;
let b: Hub;

beforeAll(async () => {
  redis = await OwnRedis.start();
  const env = { REDIS_URL: redis.url, REDIS_PREFIX: "restart-test:" };
  [a, b] = await Promise.all([
    testHub({ ...env, NODE_ID: "node-a" }),
    testHub({ ...env, NODE_ID: "node-b" }),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
});

describe("Redis restarted mid-flow", () => {
  it("answers UNAVAILABLE while Redis is down and finishes the login once it is back", async () => {
    const watcher = await watchEvents(b.url, "?last=0&kind=qr.*");
    const client = await FakeClient.connect(a.url);
    const t = await client.issue();
    const phone = await FakePhone.login(b.url);
    expect((await phone.scan(t.ticketId)).status).toBe(200);
    await client.state(t.ticketId, "scanned");

    await redis.kill();

    const confirm = await phone.confirm(t.ticketId);
    expect(confirm.status).toBe(503);
    expect(confirm.body).toMatchObject({
      code: "UNAVAILABLE",
      message: "服务暂时不可用，请稍后再试",
      retryable: true,
    });
    expect(await client.request({ type: "qr.issue" })).toMatchObject({
      type: "error",
      code: "UNAVAILABLE",
      retryable: true,
    });
    // The nodes themselves stay up: health answers, new sockets are still welcomed.
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    const newcomer = await FakeClient.connect(a.url);
    expect(newcomer.all("welcome")).toHaveLength(1);

    await redis.start();

    // The phone retries its confirmation until the hub is back; the state survived in Redis.
    const retried = await eventually(async () => {
      const r = await phone.confirm(t.ticketId);
      return r.status === 503 ? null : r;
    });
    expect(retried.body.state).toBe("confirmed");
    // Node A resubscribed (or re-read its tickets on recovery) and pushes the confirmation.
    const session = await client.completeLogin(t);
    expect(session.handler.maskedName).toBe("*三");

    // And a whole new login works again, across the nodes.
    const t2 = await newcomer.issue();
    await phone.scan(t2.ticketId);
    await phone.confirm(t2.ticketId);
    await newcomer.completeLogin(t2);
    // The event stream recovered too: a watcher on node B sees node A's redemption.
    await watcher.until(
      (e) =>
        e.kind === "qr.redeemed" && e.node === "node-a" && e.data.ticket === `${t2.ticketId.slice(0, 6)}…`,
    );
    watcher.close();
    await Promise.all([client.close(), newcomer.close()]);
  });
});
