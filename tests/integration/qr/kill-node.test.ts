import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { type HubProcess, spawnHub } from "../../support/hub-nodes";
import { BUSES, busEnv, type TestRedis, testRedis } from "../../support/redis-cluster";

// A hub node that dies must not lose a confirmation. Two real hub processes on one Redis (and on a
// Redis Cluster); node A holds 100 waiting clients and is killed with SIGKILL mid-flow; they resume on
// node B and all log in.

const CLIENTS = 100;

describe.each(BUSES)("on %s", (bus) => {
  let redis: TestRedis;
  let a: HubProcess;
  let b: HubProcess;

  beforeAll(async () => {
    redis = await testRedis(bus);
    const env = {
      ...busEnv(redis),
      // One test machine plays 100 offices and one busy phone: lift the per-address and per-phone limits.
      HUB_LIMITS: JSON.stringify({ ticketsPerIpPerMinute: 10_000, scansPerPhonePerMinute: 10_000 }),
    };
    [a, b] = await Promise.all([
      spawnHub({ ...env, NODE_ID: "node-a" }),
      spawnHub({ ...env, NODE_ID: "node-b" }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.kill("SIGKILL"), b?.kill("SIGTERM")]);
    await redis?.cleanup();
  });

  describe("a hub node dying mid-flow", () => {
    it("loses no login: 100 clients waiting on node A resume on node B and all complete", async () => {
      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => FakeClient.connect(a.url)));
      const tickets = await Promise.all(clients.map((c) => c.issue()));
      const phone = await FakePhone.login(b.url);

      const scans = await Promise.all(tickets.map((t) => phone.scan(t.ticketId)));
      expect(scans.every((s) => s.status === 200)).toBe(true);
      await Promise.all(clients.map((c, i) => c.state(tickets[i]?.ticketId ?? "", "scanned")));

      // 30 confirmed while A lives (their clients got a grant from A but never redeemed it) ...
      const before = tickets.slice(0, 30);
      await Promise.all(before.map((t) => phone.confirm(t.ticketId)));
      await Promise.all(before.map((t, i) => clients[i]?.state(t.ticketId, "confirmed")));

      await a.kill("SIGKILL");
      const closes = await Promise.all(clients.map((c) => c.closed));
      expect(closes.every((c) => c.code === 1006)).toBe(true); // no goodbye: the process is gone

      // ... 40 confirmed while the clients have no node at all: the hints go to the dead node ...
      const whileDown = tickets.slice(30, 70);
      const down = await Promise.all(whileDown.map((t) => phone.confirm(t.ticketId)));
      expect(down.every((r) => r.status === 200)).toBe(true);

      // Every client reconnects to node B with its ticket id + secret and hears the state at once.
      const resumed = await Promise.all(
        tickets.map((t) =>
          FakeClient.connect(b.url, { resume: { ticket: { id: t.ticketId, secret: t.secret } } }),
        ),
      );
      const states = await Promise.all(
        resumed.map((c, i) => c.next("qr.state", (m) => m.ticketId === tickets[i]?.ticketId)),
      );
      expect(states.filter((s) => s.state === "confirmed" && s.grant)).toHaveLength(70);
      expect(states.filter((s) => s.state === "scanned")).toHaveLength(30);

      // ... and the last 30 confirmed after the resume, pushed by node B.
      await Promise.all(tickets.slice(70).map((t) => phone.confirm(t.ticketId)));

      const sessions = await Promise.all(
        resumed.map(async (c, i) => {
          const t = tickets[i] ?? { ticketId: "", secret: "" };
          const grant = states[i]?.grant ?? (await c.state(t.ticketId, "confirmed")).grant;
          const r = await c.redeem(t, grant ?? "");
          if (r.type !== "session") throw new Error(`client ${i} got ${JSON.stringify(r)}`);
          return r;
        }),
      );
      expect(sessions).toHaveLength(CLIENTS);
      expect(new Set(sessions.map((s) => s.token)).size).toBe(CLIENTS);
      await Promise.all(resumed.map((c) => c.close()));
    });
  });
});
