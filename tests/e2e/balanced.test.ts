import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Balanced, startBalanced } from "../../scripts/balanced";
import { DEMO_PASSWORD, person } from "../../server/demo/cast";
import { seedDemo } from "../../server/demo/seed";
import { systemClock } from "../../server/kernel/clock";
import { openStore } from "../../server/store";
import { type ExtensionBrowser, launchWithExtension, SCREENSHOT_DIR, screenshot } from "../support/browser";
import { type EventWatcher, watchEvents } from "../support/hub-nodes";
import { launchPhoneSeeing, type PhoneBrowser } from "../support/phone-browser";
import { freshPgDatabase, freshRedisPrefix, TEST_REDIS_URL } from "../support/services";
import { online, readQr, shot, useHub } from "./popup";
import { logInOnForm } from "./web/world";

// `npm run balanced` for real: two hub processes on PostgreSQL + Redis behind Debian's HAProxy on
// loopback. The built extension (Chromium) and a phone (Chromium, fake camera) reach the hub only
// through the balancer; a QR login goes through, and both nodes served it.

const LI = person("liQiang");
const redis = freshRedisPrefix("balanced");
let pg: Awaited<ReturnType<typeof freshPgDatabase>>;
let b: Balanced;
let browser: ExtensionBrowser | undefined;
let phone: PhoneBrowser | undefined;
let events: EventWatcher | undefined;
/** From the QR login on: the popup, logged in, and the node holding its socket. */
let popup: Page;
let socketNode = "";

beforeAll(async () => {
  pg = await freshPgDatabase("balanced");
  const db = await openStore({ dataDir: ":memory:", databaseUrl: pg.url });
  await seedDemo({ db, clock: systemClock, events: { emit() {} }, nodeId: "demo" });
  await db.close();
  b = await startBalanced({
    redisUrl: TEST_REDIS_URL,
    databaseUrl: pg.url,
    port: 0,
    nodeIds: ["balanced-a", "balanced-b"],
    env: { REDIS_PREFIX: redis.prefix, LOG_LEVEL: "warn" },
  });
}, 240_000);

afterAll(async () => {
  events?.close();
  await phone?.close();
  await browser?.close();
  await b?.stop();
  await redis.cleanup();
  await pg?.drop();
}, 120_000);

describe("two nodes behind HAProxy", () => {
  it("logs the extension in by QR, the phone scanning and confirming, each through the balancer; both nodes serve", async () => {
    await mkdir(`${SCREENSHOT_DIR}/balanced`, { recursive: true });
    // The event console through the balancer too (its WebSocket upgrade): every node's events.
    events = await watchEvents(b.url, "?last=0");

    browser = await launchWithExtension();
    await useHub(browser, b.url);
    popup = await browser.openPopup();
    await popup.locator(".card").waitFor();
    await online(popup);
    await popup.getByRole("button", { name: "切换到扫码登录" }).click();
    await popup.locator(".qr-box .qr-image").waitFor();
    const qr = (await readQr(popup, ".qr-box .qr-image")).text ?? "";
    expect(qr).toMatch(new RegExp(`^${b.url}/app/qr/`));
    const issued = await events.until((e) => e.kind === "qr.issued");
    await shot(popup, "balanced/01-popup-qr");

    phone = await launchPhoneSeeing(qr);
    const page = phone.page;
    const phoneNodes = new Set<string>();
    page.on("response", (r) => {
      const node = r.headers()["x-hub-node"];
      if (node && r.url().startsWith(b.url)) phoneNodes.add(node);
    });
    await page.goto(`${b.url}/app/login`);
    await logInOnForm(page, { loginName: LI.loginName, password: DEMO_PASSWORD });
    await page.waitForSelector("[data-testid=who]");
    await page.getByRole("link", { name: "扫一扫" }).first().click();
    await page.waitForURL(qr);
    await page.waitForSelector("[data-state=ask]");
    await popup.getByText("扫描成功，请在手机上确认").waitFor();
    await screenshot(page, "balanced/02-phone-confirm");
    await page.getByRole("button", { name: "确认登录" }).click();

    await popup.getByRole("listbox", { name: "单位列表" }).waitFor({ timeout: 30_000 });
    await shot(popup, "balanced/03-popup-company-list");
    const redeemed = await events.until((e) => e.kind === "qr.redeemed");

    // The socket stayed on one node (it issued and redeemed); the phone's requests went round robin.
    expect(redeemed.node).toBe(issued.node);
    socketNode = issued.node;
    const ids = b.nodes.map((n) => n.id).sort();
    expect([...phoneNodes].sort()).toEqual(ids);
    const served = new Set(events.live.map((e) => e.node));
    expect([...served].sort()).toEqual(ids);
  }, 240_000);

  it("moves the extension to the other node at once when its node drains (1012), still logged in", async () => {
    const draining = b.nodes.find((n) => n.id === socketNode);
    const other = b.nodes.find((n) => n.id !== socketNode);
    if (!draining || !other) throw new Error(`no node ${socketNode}`);
    // Watch on the node that stays (the balancer may have put the first watcher on the one that goes).
    const watcher = await watchEvents(other.url, "?last=0");
    try {
      const exited = new Promise<number | null>((r) => draining.child.once("exit", (code) => r(code)));
      draining.child.kill("SIGTERM");
      const closed = await watcher.until(
        (e) => e.kind === "ws.closed" && e.node === draining.id && e.data.code === 1012,
        30_000,
      );
      const resumed = await watcher.until((e) => e.kind === "session.resumed" && e.node === other.id, 30_000);
      expect(await exited).toBe(0);
      // Reconnected and resumed on the other node without the popup noticing: still at the company list.
      await popup.getByRole("listbox", { name: "单位列表" }).waitFor();
      await online(popup);
      await shot(popup, "balanced/04-popup-after-drain");
      const gapMs = Date.parse(resumed.at) - Date.parse(closed.at);
      console.log(`socket closed 1012 on ${draining.id}, session resumed on ${other.id} ${gapMs} ms later`);
      // Through the balancer everything now lands on the node that stayed.
      const res = await fetch(`${b.url}/readyz`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-hub-node")).toBe(other.id);
    } finally {
      watcher.close();
    }
  }, 120_000);

  it("stops: both nodes drain and exit 0, and the balancer stops", async () => {
    await browser?.close();
    browser = undefined;
    await phone?.close();
    phone = undefined;
    events?.close();
    events = undefined;
    await b.stop();
    for (const n of b.nodes) expect(n.child.exitCode, b.output()).toBe(0);
    expect(b.haproxy.exitCode !== null || b.haproxy.signalCode !== null).toBe(true);
  }, 120_000);
});
