import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { FakeClient } from "../../support/fake-client";
import { testHub } from "../../support/hub-nodes";
import { handler, legalRep } from "../../support/people";
import { handshakeHub, loggedInClient, passwordLogin, seedPerson, solvedCaptcha } from "../../support/world";
import { ticketAndPhone } from "../qr/steps";

// `/metrics` as Prometheus scrapes it, after real logins on a real hub: the named series are there
// with the counts of what happened, and production asks for the operator token.

const OPERATOR_TOKEN = "metrics-operator-token-0123";

/** Every sample line of a Prometheus text answer, `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!m?.[1] || m[2] === undefined) throw new Error(`not Prometheus text: ${line}`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

describe("/metrics", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await handshakeHub({ NODE_ID: "metrics-a" }, { hashQueueDepth: () => 7 });
    await seedPerson(hub.db, handler);
    await seedPerson(hub.db, legalRep);
  }, 60_000);
  afterAll(() => hub.close());

  it("answers Prometheus text with every named series, counting what happened", async () => {
    // One password login, one QR login (issued, scanned, confirmed, redeemed), one waiting ticket.
    const { client: loggedIn } = await loggedInClient(hub.url, handler);
    const { client, t, phone } = await ticketAndPhone(hub.url);
    expect((await phone.scan(t.ticketId)).status).toBe(200);
    expect((await phone.confirm(t.ticketId)).status).toBe(200);
    await client.completeLogin(t);
    const waiting = await FakeClient.connect(hub.url);
    await waiting.issue();
    // Five wrong passwords lock legalRep's account (seed 1.1).
    const wrong = await FakeClient.connect(hub.url);
    for (let i = 0; i < 5; i++) {
      const r = await passwordLogin(
        wrong,
        legalRep.loginName,
        "Wrong1234x",
        await solvedCaptcha(wrong, "login"),
      );
      expect(r.type).toBe("error");
    }

    const res = await fetch(`${hub.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = samples(await res.text());
    const node = 'node="metrics-a"';
    expect(s.get(`shiming_sockets_open{${node}}`)).toBe(4);
    expect(s.get(`shiming_tickets_waiting{${node}}`)).toBe(1);
    expect(s.get(`shiming_hash_queue_depth{${node}}`)).toBe(7);
    expect(s.get(`shiming_qr_confirms_total{${node}}`)).toBe(1);
    expect(s.get(`shiming_logins_total{channel="client",result="succeeded",${node}}`)).toBe(2);
    expect(s.get(`shiming_logins_total{channel="client",result="ACCOUNT_OR_PASSWORD_WRONG",${node}}`)).toBe(
      4,
    );
    expect(s.get(`shiming_logins_total{channel="client",result="locked",${node}}`)).toBe(1);
    expect(s.get(`shiming_lockouts_total{kind="password",${node}}`)).toBe(1);
    // The scrape itself made a bus round trip.
    expect(s.get(`shiming_bus_round_trip_seconds_count{${node}}`)).toBeGreaterThanOrEqual(1);
    expect(s.get(`nodejs_eventloop_lag_seconds{${node}}`)).toBeGreaterThanOrEqual(0);

    for (const c of [loggedIn, client, waiting, wrong]) c.ws.close();
  }, 120_000);
});

describe("/metrics in production", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await testHub({ NODE_ID: "metrics-prod", NODE_ENV: "production", OPERATOR_TOKEN });
  }, 60_000);
  afterAll(() => hub.close());

  it("answers 401 without the operator token, or with another, or with it in the URL; 200 with it in the header", async () => {
    expect((await fetch(`${hub.url}/metrics`)).status).toBe(401);
    const other = await fetch(`${hub.url}/metrics`, {
      headers: { authorization: "Bearer not-the-token-at-all" },
    });
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({ code: "NOT_LOGGED_IN" });
    expect((await fetch(`${hub.url}/metrics?token=${OPERATOR_TOKEN}`)).status).toBe(401);
    const ok = await fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('shiming_sockets_open{node="metrics-prod"} 0');
  });
});
