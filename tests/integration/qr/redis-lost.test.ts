import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { OwnRedis, testHub, watchEvents } from "../../support/hub-nodes";

// Redis comes back empty in the middle of forty logins: every ticket is gone. Nothing may be silent:
// each node tells the clients it holds that their ticket expired (the popup then offers 刷新), those
// already showing 扫描成功 included, and the phones are told 二维码已失效.

const WAITING = 20;
const SCANNED = 20;

let redis: OwnRedis;
let a: Hub;
let b: Hub;

beforeAll(async () => {
  redis = await OwnRedis.start();
  const env = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: "lost-test:",
    HUB_LIMITS: '{"ticketsPerIpPerMinute":1000}',
  };
  [a, b] = await Promise.all([
    testHub({ ...env, NODE_ID: "node-a" }),
    testHub({ ...env, NODE_ID: "node-b" }),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
});

describe("Redis restarted without its data", () => {
  it(`tells all ${WAITING} waiting and ${SCANNED} scanned clients their ticket expired`, async () => {
    const clients = await Promise.all(
      Array.from({ length: WAITING + SCANNED }, (_, i) => FakeClient.connect(i % 2 ? b.url : a.url)),
    );
    const tickets = await Promise.all(clients.map((c) => c.issue()));
    const phones = await Promise.all(
      Array.from({ length: SCANNED }, (_, i) => FakePhone.login(i % 2 ? a.url : b.url)),
    );
    // The last SCANNED clients' tickets are scanned (by a phone on the other node) and show 扫描成功.
    await Promise.all(
      phones.map(async (phone, i) => {
        const n = WAITING + i;
        const t = tickets[n];
        if (!t) throw new Error("no ticket");
        expect((await phone.scan(t.url)).status).toBe(200);
        await clients[n]?.state(t.ticketId, "scanned");
      }),
    );
    const watcher = await watchEvents(a.url, "?last=0&kind=qr.vanished");

    await redis.restartEmpty();

    // Every client hears "expired" for its own ticket, whichever node holds it.
    const told = await Promise.all(
      clients.map((c, i) => c.state(tickets[i]?.ticketId ?? "", "expired", 60_000)),
    );
    expect(told).toHaveLength(WAITING + SCANNED);
    const scannedTold = told.slice(WAITING);
    expect(scannedTold.every((m) => m.state === "expired")).toBe(true);
    // Nobody is left on 扫描成功: for each client, the last word about its ticket is "expired".
    for (const [i, c] of clients.entries()) {
      const last = c
        .all("qr.state")
        .filter((s) => s.ticketId === tickets[i]?.ticketId)
        .at(-1);
      expect(last?.state).toBe("expired");
    }
    // The phones are told the QR is gone (二维码已失效 on the page), not left waiting either.
    const late = await phones[0]?.confirm(tickets[WAITING]?.ticketId ?? "");
    expect(late?.body.code).toBe("TICKET_NOT_FOUND");
    // And each node said so in the event stream (the stream lives in Redis too, so after the restart).
    await watcher.until((e) => e.kind === "qr.vanished" && e.node === "node-b");
    watcher.close();

    // A refresh works at once: a new ticket on the same socket.
    const fresh = await clients[WAITING]?.issue();
    expect(fresh?.ticketId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    await Promise.all(clients.map((c) => c.close()));
  });
});
