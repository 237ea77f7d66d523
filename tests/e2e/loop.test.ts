import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, person } from "../../server/demo/cast";
import { seedDemo } from "../../server/demo/seed";
import type { Hub } from "../../server/hub";
import { systemClock } from "../../server/kernel/clock";
import { type ExtensionBrowser, launchWithExtension, screenshot } from "../support/browser";
import { FakePhone } from "../support/fake-phone";
import { testHub } from "../support/hub-nodes";
import { launchPhone, type PhoneBrowser } from "../support/phone-browser";
import { freshPgDatabase, freshRedisPrefix, TEST_REDIS_URL } from "../support/services";
import { writeY4m, y4mFromPng } from "../support/y4m";
import { online, Popups, readQr, useHub } from "./popup";
import { logInOnForm } from "./web/world";

// The whole loop (issue 8): two hub nodes on Redis sharing one PostgreSQL database; the built
// extension on node A shows a QR; its screenshot becomes the fake camera of a phone Chromium on node
// B's 扫一扫, where jsQR reads it; the phone confirms on node B; the popup on node A moves on.
//
// The phone pages on main are still shells (their 登录 and 「确认登录」 buttons are disabled, "Pending"),
// so the phone's login, scan and confirm go through node B's real phone API (/api/app/login, /scan,
// /confirm) with the account the demo builder made, once the page has read the QR off the camera.

const LI = person("liQiang");
const PATIENT = { timeout: 30_000 };

let nodeA: Hub;
let nodeB: Hub;
let browser: ExtensionBrowser;
let phone: PhoneBrowser | undefined;
let tmp: string;
const db = { url: "", drop: async () => {} };
const redis = freshRedisPrefix();

beforeAll(async () => {
  if (!existsSync(resolve(".output/web/app/index.html")))
    throw new Error("the phone pages are not built: run `npm run build:web` first");
  Object.assign(db, await freshPgDatabase());
  tmp = await mkdtemp(join(tmpdir(), "shiming-loop-"));
  const shared = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redis.prefix,
    // The phone's camera plays a picture of the popup's QR taken once; on a busy machine the phone may
    // read it after the QR's 30 s rotation, which would rightly refuse it (a photo going stale).
    HUB_LIMITS: JSON.stringify({ qrRotateMs: 600_000 }),
  };
  nodeA = await testHub({ ...shared, NODE_ID: "loop-a" });
  // Node B's phone pages follow QR links of node A (the extension talks to A, the phone to B).
  nodeB = await testHub({ ...shared, NODE_ID: "loop-b", HUB_ORIGINS: nodeA.publicUrl });
  await seedDemo({ db: nodeA.db, clock: systemClock, events: { emit() {} }, nodeId: "loop-a" });
  browser = await launchWithExtension();
  await useHub(browser, nodeA.url);
});

afterAll(async () => {
  await phone?.close();
  await browser?.close();
  await nodeB?.close();
  await nodeA?.close();
  await db.drop();
  await redis.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("the whole loop across two hub nodes", () => {
  it("logs the extension in on node A by a QR the phone camera reads on node B", async () => {
    const popup = await new Popups(browser).open();
    await online(popup);
    await popup.getByRole("button", { name: "切换到扫码登录" }).click();
    await popup.locator(".qr-box .qr-image").waitFor();
    const qr = await readQr(popup, ".qr-box .qr-image");
    expect(qr.text).toMatch(new RegExp(`^${nodeA.publicUrl}/app/qr/`));
    const ticketId = FakePhone.ticketIdOf(qr.text as string);
    await screenshot(popup, "loop/01-popup-qr-node-a");

    // The popup's QR, as pixels, is what the phone's camera shows.
    const videoFile = await writeY4m(join(tmp, "popup-qr.y4m"), y4mFromPng(qr.png));
    phone = await launchPhone({ videoFile });
    await phone.page.goto(`${nodeB.url}/app/scan`);
    // Not logged in on the phone yet: the confirm screen sends the person to 登录 and back to the same ticket.
    await phone.page.waitForURL(/\/app\/login\?next=/, PATIENT);
    expect(new URL(phone.page.url()).searchParams.get("next")).toBe(`/app/qr/${ticketId}`);
    await logInOnForm(phone.page, { loginName: LI.loginName, password: DEMO_PASSWORD });
    await phone.page.waitForURL(`${nodeB.url}/app/qr/${ticketId}`, PATIENT);
    await expect.poll(() => phone?.page.textContent("h1")).toBe("扫码登录确认");
    // Scanned on arrival: the popup on node A hears it through Redis while the person reads who asks.
    await phone.page.waitForSelector("[data-state=ask]");
    await popup.getByText("扫描成功，请在手机上确认").waitFor();
    await screenshot(phone.page, "loop/02-phone-confirm-node-b");
    await screenshot(popup, "loop/03-popup-scanned");

    const list = popup.getByRole("listbox", { name: "单位列表" });
    const confirmedAt = performance.now();
    await phone.page.getByRole("button", { name: "确认登录" }).click();
    await list.waitFor();
    const ms = performance.now() - confirmedAt;
    console.log(
      `loop: 确认登录 clicked on node B → popup on node A at the company step in ${ms.toFixed(0)} ms`,
    );
    await expect.poll(() => phone?.page.textContent("[role=status] h2")).toBe("登录成功");
    await screenshot(popup, "loop/04-popup-company-list");
  });
});
