import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { FakeClient, UpgradeRefused } from "../../support/fake-client";
import { eventually, testHub } from "../../support/hub-nodes";

// One address cannot take every connection slot of a node (connectionsPerIp): behind a trusted proxy,
// by the address it forwards (TRUST_PROXY, server/http/client-address.ts).

let hub: Hub;
beforeAll(async () => {
  hub = await testHub(
    { NODE_ID: "per-ip-cap", TRUST_PROXY: "loopback" },
    { limits: { connectionsPerIp: 3, maxConnections: 6 } },
  );
});
afterAll(() => hub.close());

const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });

describe("the per-address socket cap", () => {
  it("refuses one address's socket past its share with 429 while others still get in, and frees the slot on close", async () => {
    const mine = await Promise.all([1, 2, 3].map(() => FakeClient.connect(hub.url, from("203.0.113.9"))));
    const refused = await FakeClient.connect(hub.url, from("203.0.113.9")).catch((e) => e);
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect((refused as UpgradeRefused).status).toBe(429);
    // another address still finds slots (the node holds 6, this one address only 3 of them)
    const other = await FakeClient.connect(hub.url, from("198.51.100.7"));
    expect(other.all("welcome")).toHaveLength(1);
    await mine[0]?.close();
    const again = await eventually(() => FakeClient.connect(hub.url, from("203.0.113.9")).catch(() => null));
    expect(again.all("welcome")).toHaveLength(1);
    await Promise.all([...mine.slice(1), other, again].map((c) => c.close()));
  });
});
