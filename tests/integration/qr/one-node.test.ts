import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemoryEventStream } from "../../../server/events/stream";
import type { Hub } from "../../../server/hub";
import { ManualClock } from "../../../server/kernel/clock";
import { REDEEM_WINDOW_MS } from "../../../server/qr/machine";
import { EXTENSION_ORIGIN } from "../../../shared/extension-id";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { eventually, testHub } from "../../support/hub-nodes";
import { redemption, ticketAndPhone } from "./steps";

// seed 1.2 扫码登录 on one node with the in-process bus, time on a manual clock.

let hub: Hub;
let clock: ManualClock;
const TTL_MS = 120_000;

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  hub = await testHub({ NODE_ID: "one" }, { clock });
});
afterAll(() => hub.close());

async function scannedAndConfirmed(phone: FakePhone, id: string) {
  expect((await phone.scan(id)).status).toBe(200);
  expect((await phone.confirm(id)).status).toBe(200);
}

/** A client's ticket on this node, scanned and confirmed by a phone, with the grant the client was sent. */
async function confirmedTicket() {
  const { client, t, phone } = await ticketAndPhone(hub.url);
  await scannedAndConfirmed(phone, t.ticketId);
  const { grant } = await client.state(t.ticketId, "confirmed");
  return { client, t, phone, grant };
}

describe("the asker's address behind a trusted proxy (TRUST_PROXY)", () => {
  it("shows the phone the client's forwarded address and its region, and ignores what an untrusted peer claims", async () => {
    const behind = await testHub({ NODE_ID: "proxied", TRUST_PROXY: "loopback" });
    const plain = await testHub({ NODE_ID: "direct" });
    try {
      // A client behind the balancer: the loopback peer is the proxy, trusted to name the client.
      const forwarded = { "x-forwarded-for": "10.9.8.7, 113.118.113.77" };
      for (const [h, ip, place] of [
        [behind, "113.118.113.77", "广东省 深圳市"],
        [plain, "127.0.0.1", "本机"],
      ] as const) {
        const client = await FakeClient.connect(h.url, { label: "扣缴客户端", headers: forwarded });
        const t = await client.issue();
        const phone = await FakePhone.login(h.url, "dev-zhang-san");
        const view = await phone.view(FakePhone.ticketIdOf(t.url));
        expect(view.body.asker).toMatchObject({ ip, place });
        client.ws.close();
      }
    } finally {
      await Promise.all([behind.close(), plain.close()]);
    }
  });

  it("tells the phone where the computer is against where the phone is, and what is verified or only claimed", async () => {
    const behind = await testHub({ NODE_ID: "proxied", TRUST_PROXY: "loopback" });
    try {
      const beijing = { "x-forwarded-for": "180.76.76.76" };
      const shenzhen = { "x-forwarded-for": "113.118.113.77" };
      const client = await FakeClient.connect(behind.url, { headers: beijing, os: "Windows" });
      const t = await client.issue();
      const phone = await FakePhone.login(behind.url, "dev-zhang-san");
      const relayed = await phone.withHeaders(shenzhen).view(t.url);
      expect(relayed.body).toMatchObject({
        asker: {
          ip: "180.76.76.76",
          place: "北京市",
          origin: EXTENSION_ORIGIN,
          client: "扣缴客户端",
          version: "0.1.0",
          os: "Windows",
        },
        phone: { ip: "113.118.113.77", place: "广东省 深圳市" },
        nearness: "elsewhere",
      });
      const beside = await phone.withHeaders(beijing).scan(t.url);
      expect(beside.body).toMatchObject({ phone: { ip: "180.76.76.76" }, nearness: "same-address" });
      client.ws.close();
    } finally {
      await behind.close();
    }
  });
});

describe("QR login on one node", () => {
  it("logs the client in: ticket → scanned → confirmed → grant redeemed for a session", async () => {
    const client = await FakeClient.connect(hub.url, { label: "扣缴客户端" });
    const t = await client.issue();
    expect(t.ticketId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(t.secret).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(t.url).toBe(`${hub.publicUrl}/app/qr/${t.ticketId}`);
    expect(t.url).not.toContain(t.secret);
    expect(Date.parse(t.expiresAt) - clock.now()).toBe(TTL_MS);

    const phone = await FakePhone.login(hub.url, "dev-zhang-san");
    const id = FakePhone.ticketIdOf(t.url);
    // Before confirming, the phone sees who asks (QRLJacking): the client, its address, when.
    const view = await phone.view(id);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      ticketId: id,
      state: "waiting",
      asker: { client: "扣缴客户端", version: "0.1.0", ip: "127.0.0.1", place: "本机" },
      yours: false,
    });
    expect(view.body.asker.requestedAt).toBe(new Date(clock.now()).toISOString());

    const scan = await phone.scan(id);
    expect(scan.body).toMatchObject({ state: "scanned", yours: true });
    expect(await client.state(id, "scanned")).toMatchObject({ maskedName: "*三" });

    expect((await phone.confirm(id)).body.state).toBe("confirmed");
    const confirmed = await client.state(id, "confirmed");
    expect(confirmed.grant).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(Date.parse(confirmed.expiresAt) - clock.now()).toBe(REDEEM_WINDOW_MS);

    const session = await client.request({
      type: "qr.redeem",
      ticketId: id,
      secret: t.secret,
      grant: confirmed.grant ?? "",
    });
    expect(session).toMatchObject({
      type: "session",
      method: "qr",
      handler: { maskedName: "*三", maskedIdNumber: "1101**********4514", idType: "居民身份证" },
    });
    await client.close();
  });

  it("pushes every change once, in order", async () => {
    const { client, t, phone } = await ticketAndPhone(hub.url);
    await scannedAndConfirmed(phone, t.ticketId);
    await client.completeLogin(t);
    expect(client.all("qr.state").map((s) => s.state)).toEqual(["scanned", "confirmed"]);
    await client.close();
  });

  it("rotates a waiting ticket's QR every 30 s: the new content is pushed, the old one refused at once", async () => {
    const { client, t, phone } = await ticketAndPhone(hub.url);
    expect(t.url).toBe(`${hub.publicUrl}/app/qr/${t.ticketId}`);
    clock.advance(30_000);
    const first = await client.next("qr.rotated", (m) => m.ticketId === t.ticketId);
    expect(first.url).toMatch(new RegExp(`^${hub.publicUrl}/app/qr/${t.ticketId}\\?s=[A-Za-z0-9_-]{11}$`));
    const stale = await phone.scan(t.url);
    expect(stale.status).toBe(410);
    expect(stale.body).toMatchObject({
      code: "TICKET_ROTATED",
      message: "二维码已更新，请重新扫描扣缴客户端上显示的二维码",
    });
    expect((await phone.view(t.url)).body.code).toBe("TICKET_ROTATED");

    clock.advance(30_000);
    const second = await client.next("qr.rotated", (m) => m.ticketId === t.ticketId && m.url !== first.url);
    expect((await phone.scan(first.url)).body.code).toBe("TICKET_ROTATED");
    const scan = await phone.scan(second.url);
    expect(scan.body).toMatchObject({ state: "scanned", yours: true });
    // The countdown is the ticket's: the same expiry before and after the rotations.
    expect((await client.state(t.ticketId, "scanned")).expiresAt).toBe(t.expiresAt);
    // Scanned: no more rotations reach the client.
    clock.advance(30_000);
    await phone.view(t.ticketId); // a round trip, so a rotation would have arrived by now
    expect(client.all("qr.rotated").filter((m) => m.ticketId === t.ticketId)).toHaveLength(2);
    await client.close();
  });

  it("answers a confirm retried by the phone that confirmed as success, and still refuses another phone", async () => {
    const { client, t, phone } = await ticketAndPhone(hub.url);
    await scannedAndConfirmed(phone, t.ticketId);
    const retried = await phone.confirm(t.ticketId);
    expect(retried).toMatchObject({ status: 200, body: { state: "confirmed", yours: true } });
    const other = await FakePhone.login(hub.url, "dev-li-si");
    expect((await other.confirm(t.ticketId)).body).toMatchObject({ code: "TICKET_USED" });
    await client.completeLogin(t);
    // After the client is logged in, the same phone's late retry is still the success it was.
    expect((await phone.confirm(t.ticketId)).status).toBe(200);
    expect(client.all("qr.state").filter((s) => s.state === "confirmed")).toHaveLength(1);
    await client.close();
  });

  it("expires a waiting ticket at its TTL and tells the client", async () => {
    const client = await FakeClient.connect(hub.url);
    const t = await client.issue();
    clock.advance(TTL_MS - 1);
    const phone = await FakePhone.login(hub.url);
    // the QR rotated three times meanwhile (every 30 s of 120): the phone reads the current one
    const url = await eventually(() => client.all("qr.rotated")[2]?.url);
    expect((await phone.view(url)).body.state).toBe("waiting");
    clock.advance(1);
    expect(await client.state(t.ticketId, "expired")).toMatchObject({ ticketId: t.ticketId });
    const late = await phone.scan(t.ticketId);
    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({ code: "TICKET_EXPIRED", message: "二维码已失效，请刷新" });
    await client.close();
  });

  it("expires a scanned ticket the person never confirmed", async () => {
    const { client, t, phone } = await ticketAndPhone(hub.url);
    await phone.scan(t.ticketId);
    await client.state(t.ticketId, "scanned");
    clock.advance(TTL_MS);
    await client.state(t.ticketId, "expired");
    expect((await phone.confirm(t.ticketId)).body.code).toBe("TICKET_EXPIRED");
    await client.close();
  });

  it("refreshes: a new ticket, and the old one is dead for the phone", async () => {
    const client = await FakeClient.connect(hub.url);
    const old = await client.issue();
    const fresh = await client.issue(old.ticketId);
    expect(fresh.ticketId).not.toBe(old.ticketId);
    const phone = await FakePhone.login(hub.url);
    expect((await phone.scan(old.ticketId)).body.code).toBe("TICKET_EXPIRED");
    await scannedAndConfirmed(phone, fresh.ticketId);
    await client.completeLogin(fresh);
    expect(client.all("qr.state").some((s) => s.ticketId === old.ticketId)).toBe(false);
    await client.close();
  });

  it("refuses to refresh a ticket this socket does not hold", async () => {
    const client = await FakeClient.connect(hub.url);
    const stranger = await FakeClient.connect(hub.url);
    const t = await stranger.issue();
    const r = await client.request({ type: "qr.issue", replaces: t.ticketId });
    expect(r).toMatchObject({ type: "error", code: "TICKET_NOT_FOUND" });
    await Promise.all([client.close(), stranger.close()]);
  });

  it("lets the person cancel on the phone, and the ticket stays cancelled", async () => {
    const { client, t, phone } = await ticketAndPhone(hub.url);
    await phone.scan(t.ticketId);
    expect((await phone.cancel(t.ticketId)).body.state).toBe("cancelled");
    await client.state(t.ticketId, "cancelled");
    const confirm = await phone.confirm(t.ticketId);
    expect(confirm.status).toBe(409);
    expect(confirm.body.code).toBe("TICKET_CANCELLED");
    await client.close();
  });

  it("lets the client leave QR mode: its ticket is cancelled for the phone", async () => {
    const client = await FakeClient.connect(hub.url);
    const t = await client.issue();
    const r = await client.request({ type: "qr.cancel", ticketId: t.ticketId, secret: t.secret });
    expect(r).toMatchObject({ type: "qr.state", state: "cancelled" });
    const phone = await FakePhone.login(hub.url);
    expect((await phone.scan(t.ticketId)).body.code).toBe("TICKET_CANCELLED");
    await client.close();
  });

  it("refuses a replayed redemption and issues no second session", async () => {
    const { client, t, grant } = await confirmedTicket();
    const redeem = redemption(t, grant);
    expect((await client.request(redeem)).type).toBe("session");
    expect(await client.request(redeem)).toMatchObject({ type: "error", code: "TICKET_USED" });
    expect(client.all("session")).toHaveLength(1);
    await client.close();
  });

  it("lets only one of two simultaneous redemptions through", async () => {
    const { client, t, grant } = await confirmedTicket();
    const thief = await FakeClient.connect(hub.url);
    const redeem = redemption(t, grant);
    const replies = await Promise.all([client.request(redeem), thief.request(redeem)]);
    expect(replies.map((r) => r.type).sort()).toEqual(["error", "session"]);
    expect(replies.find((r) => r.type === "error")).toMatchObject({ code: "TICKET_USED" });
    await Promise.all([client.close(), thief.close()]);
  });

  it("refuses a wrong secret or a forged grant, and changes nothing", async () => {
    const { client, t, grant } = await confirmedTicket();
    const forged = "F".repeat(22);
    const wrongSecret = await client.request(redemption(t, grant, forged));
    expect(wrongSecret).toMatchObject({
      type: "error",
      code: "TICKET_SECRET_WRONG",
      message: "二维码校验失败",
    });
    const wrongGrant = await client.request(redemption(t, forged));
    expect(wrongGrant).toMatchObject({ type: "error", code: "GRANT_INVALID" });
    const right = await client.request(redemption(t, grant));
    expect(right.type).toBe("session");
    await client.close();
  });

  it("refuses a grant redeemed after its window", async () => {
    const { client, t, grant } = await confirmedTicket();
    clock.advance(REDEEM_WINDOW_MS);
    const r = await client.request(redemption(t, grant));
    expect(r).toMatchObject({ type: "error", code: "TICKET_EXPIRED" });
    await client.close();
  });

  it("answers TICKET_NOT_FOUND for a ticket that never existed", async () => {
    const client = await FakeClient.connect(hub.url);
    const r = await client.request({
      type: "qr.redeem",
      ticketId: "N".repeat(22),
      secret: "S".repeat(22),
      grant: "G".repeat(22),
    });
    expect(r).toMatchObject({ type: "error", code: "TICKET_NOT_FOUND" });
    const phone = await FakePhone.login(hub.url);
    expect((await phone.view("N".repeat(22))).status).toBe(404);
    expect((await phone.view("not-a-ticket")).status).toBe(404);
    await client.close();
  });
});

describe("the phone side", () => {
  it("needs the app's login to look at or scan a ticket", async () => {
    const client = await FakeClient.connect(hub.url);
    const t = await client.issue();
    const stranger = new FakePhone(hub.url, "not-a-real-token-aaaaaaaaa");
    for (const r of [await stranger.view(t.ticketId), await stranger.scan(t.ticketId)]) {
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({
        code: "PHONE_LOGIN_REQUIRED",
        message: "请先在个人所得税APP登录后再扫码",
      });
    }
    await client.close();
  });

  it("lets only the phone that scanned confirm or cancel", async () => {
    const client = await FakeClient.connect(hub.url);
    const t = await client.issue();
    const mine = await FakePhone.login(hub.url, "dev-zhang-san");
    const other = await FakePhone.login(hub.url, "dev-li-si");
    await mine.scan(t.ticketId);
    expect((await other.scan(t.ticketId)).body.code).toBe("TICKET_ALREADY_SCANNED");
    expect((await other.confirm(t.ticketId)).status).toBe(409);
    expect((await other.cancel(t.ticketId)).body.code).toBe("TICKET_ALREADY_SCANNED");
    expect((await other.view(t.ticketId)).body).toMatchObject({ state: "scanned", yours: false });
    expect((await mine.confirm(t.ticketId)).body.state).toBe("confirmed");
    await client.close();
  });

  it("needs a scan before a confirmation", async () => {
    const { client, t, phone } = await ticketAndPhone(hub.url);
    expect((await phone.confirm(t.ticketId)).body.code).toBe("WRONG_STEP");
    await client.close();
  });
});

describe("resuming on the same node", () => {
  it("tells a client that reconnects with its ticket the current state at once", async () => {
    const { client, t, phone } = await ticketAndPhone(hub.url);
    client.closeConnection();
    await client.closed;
    await phone.scan(t.ticketId); // happens while the client is away
    const back = await FakeClient.connect(hub.url, {
      resume: { ticket: { id: t.ticketId, secret: t.secret } },
    });
    expect(await back.state(t.ticketId, "scanned")).toMatchObject({ maskedName: "*三" });
    await phone.confirm(t.ticketId);
    await back.completeLogin(t);
    await back.close();
  });

  it("refuses to resume with a wrong secret", async () => {
    const client = await FakeClient.connect(hub.url);
    const t = await client.issue();
    const impostor = await FakeClient.connect(hub.url, {
      resume: { ticket: { id: t.ticketId, secret: "W".repeat(22) } },
    });
    expect(await impostor.next("error")).toMatchObject({ code: "TICKET_SECRET_WRONG" });
    const phone = await FakePhone.login(hub.url);
    await phone.scan(t.ticketId);
    await client.state(t.ticketId, "scanned"); // the rightful client still hears it
    expect(impostor.all("qr.state")).toHaveLength(0);
    await Promise.all([client.close(), impostor.close()]);
  });
});

describe("limits", () => {
  it("limits the tickets one socket may ask for per minute", async () => {
    const limited = await testHub(
      { NODE_ID: "limits-conn" },
      { clock, limits: { ticketsPerConnectionPerMinute: 3 } },
    );
    const client = await FakeClient.connect(limited.url);
    let last = await client.issue();
    for (let i = 0; i < 2; i++) last = await client.issue(last.ticketId);
    const r = await client.request({ type: "qr.issue", replaces: last.ticketId });
    expect(r).toMatchObject({
      type: "error",
      code: "TOO_MANY_TICKETS",
      message: "二维码刷新过于频繁，请稍后再试",
    });
    clock.advance(60_000);
    expect((await client.issue(last.ticketId)).type).toBe("qr.ticket");
    await client.close();
    await limited.close();
  });

  it("limits the tickets one address may ask for per minute, over all its sockets", async () => {
    const limited = await testHub({ NODE_ID: "limits-ip" }, { clock, limits: { ticketsPerIpPerMinute: 4 } });
    const sockets = await Promise.all([1, 2, 3].map(() => FakeClient.connect(limited.url)));
    const replies = [];
    for (const s of sockets) for (let i = 0; i < 2; i++) replies.push(await s.request({ type: "qr.issue" }));
    expect(replies.filter((r) => r.type === "qr.ticket")).toHaveLength(4);
    expect(replies.filter((r) => r.type === "error" && r.code === "TOO_MANY_TICKETS")).toHaveLength(2);
    await Promise.all(sockets.map((s) => s.close()));
    await limited.close();
  });

  it("limits the scans one phone session may make per minute", async () => {
    const limited = await testHub(
      { NODE_ID: "limits-scan" },
      { clock, limits: { scansPerPhonePerMinute: 2 } },
    );
    const client = await FakeClient.connect(limited.url);
    const phone = await FakePhone.login(limited.url);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await phone.scan((await client.issue()).ticketId)).status);
    expect(statuses).toEqual([200, 200, 429]);
    await client.close();
    await limited.close();
  });
});

describe("production mode", () => {
  it("has no development login for phones", async () => {
    const prod = await testHub({
      NODE_ID: "prod",
      NODE_ENV: "production",
      OPERATOR_TOKEN: "op-token-0123456789abcdef",
    });
    const res = await fetch(`${prod.url}/api/app/dev-login`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    await prod.close();
  });
});

describe("the events of a login", () => {
  it("carry masked identifiers only: no secret, grant, token or whole ticket id", async () => {
    const seen: string[] = [];
    const stop = (hub.events as MemoryEventStream).watch((e) => seen.push(JSON.stringify(e)));
    const { client, t, phone, grant } = await confirmedTicket();
    const session = await client.redeem(t, grant ?? "");
    if (session.type !== "session") throw new Error("no session");
    await client.close();
    stop();
    const all = seen.join("\n");
    for (const secret of [t.ticketId, t.secret, grant ?? "", session.token, phone.token])
      expect(all).not.toContain(secret);
    expect(all).not.toContain("张三");
    const kinds = seen.map((s) => JSON.parse(s).kind);
    expect(kinds).toEqual(expect.arrayContaining(["qr.issued", "qr.scanned", "qr.confirmed", "qr.redeemed"]));
  });
});
