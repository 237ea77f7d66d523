import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regionOf } from "../../../server/geo";
import { FakeClient } from "../../support/fake-client";
import { Haproxy } from "../../support/haproxy";
import { type HubProcess, spawnHub } from "../../support/hub-nodes";
import { freshPgDatabase, freshRedisPrefix, TEST_REDIS_URL } from "../../support/services";

// Two hub processes behind a real balancer (HAProxy, round robin, X-Forwarded-For) with TRUST_PROXY
// naming it. 36 offices, each from its own public address, ask for a QR at once: the per-address
// limit (30 a minute) counts each office, not the balancer, so none is refused; and the phone sees
// each computer's own address and 所在地, compared with its own.

// 12 places × 3 addresses each (the /24s of well-known resolvers and carriers' DNS servers).
const PLACES = [
  "113.118.113",
  "180.76.76",
  "114.114.114",
  "223.5.5",
  "61.139.2",
  "218.30.19",
  "202.96.134",
  "202.100.192",
  "202.96.209",
  "202.103.224",
  "202.45.84",
  "8.8.8",
];
const OFFICES = PLACES.flatMap((p) => [`${p}.7`, `${p}.8`, `${p}.9`]);
const PHONE_IP = "113.118.113.77"; // 广东省 深圳市

const redisPrefix = freshRedisPrefix("proxy");
let pg: { url: string; drop(): Promise<void> };
const nodes: HubProcess[] = [];
let proxy: Haproxy;

beforeAll(async () => {
  pg = await freshPgDatabase("proxy");
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix.prefix,
    DATABASE_URL: pg.url,
    TRUST_PROXY: "127.0.0.1",
  };
  // One after the other: both run the migrations at start, which is safe but slower in parallel.
  nodes.push(await spawnHub({ ...env, NODE_ID: "node-a" }));
  nodes.push(await spawnHub({ ...env, NODE_ID: "node-b" }));
  proxy = await Haproxy.start(nodes.map((n) => n.url));
}, 240_000);

afterAll(async () => {
  await proxy?.stop();
  await Promise.all(nodes.map((n) => n.kill("SIGTERM")));
  await redisPrefix.cleanup();
  await pg?.drop();
});

describe("two hub nodes behind HAProxy (X-Forwarded-For, TRUST_PROXY)", () => {
  it("refuses none of 36 offices a QR, and shows the phone each one's own address and place", async () => {
    expect(new Set(OFFICES).size).toBe(36);
    const clients = await Promise.all(
      OFFICES.map((ip) => FakeClient.connect(proxy.url, { createConnection: () => proxy.connectFrom(ip) })),
    );
    const welcomes = clients.map((c) => c.all("welcome")[0]?.node);
    expect(new Set(welcomes)).toEqual(new Set(["node-a", "node-b"])); // the balancer spread them

    const answers = await Promise.all(clients.map((c) => c.request({ type: "qr.issue" })));
    const refused = answers.filter((a) => a.type === "error");
    expect(refused).toEqual([]);

    const login = await proxy.fetchFrom(PHONE_IP, "POST", "/api/app/dev-login", {}, {});
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${String(login.body.token)}` };
    for (const [i, answer] of answers.entries()) {
      if (answer.type !== "qr.ticket") throw new Error(`no ticket: ${JSON.stringify(answer)}`);
      const ip = OFFICES[i] ?? "";
      const view = await proxy.fetchFrom(PHONE_IP, "GET", `/api/app/qr/${answer.ticketId}`, auth);
      expect(view.status).toBe(200);
      const place = regionOf(ip)?.label;
      expect(place).toBeTruthy();
      expect(view.body).toMatchObject({
        asker: { ip, place },
        phone: { ip: PHONE_IP, place: "广东省 深圳市" },
        nearness: ip === PHONE_IP ? "same-address" : place === "广东省 深圳市" ? "same-place" : "elsewhere",
      });
    }
    await Promise.all(clients.map((c) => c.close()));
  });

  it("believes only what the balancer appended, not what a client wrote itself", async () => {
    const client = await FakeClient.connect(proxy.url, {
      createConnection: () => proxy.connectFrom("180.76.76.76"),
      headers: { "x-forwarded-for": "113.118.113.77" },
    });
    const t = await client.request({ type: "qr.issue" });
    if (t.type !== "qr.ticket") throw new Error(JSON.stringify(t));
    const login = await proxy.fetchFrom(
      PHONE_IP,
      "POST",
      "/api/app/dev-login",
      { "x-forwarded-for": "180.76.76.76" },
      {},
    );
    const view = await proxy.fetchFrom(PHONE_IP, "GET", `/api/app/qr/${t.ticketId}`, {
      authorization: `Bearer ${String(login.body.token)}`,
      "x-forwarded-for": "180.76.76.76",
    });
    expect(view.body).toMatchObject({
      asker: { ip: "180.76.76.76", place: "北京市" },
      phone: { ip: PHONE_IP },
      nearness: "elsewhere",
    });
    await client.close();
  });
});
