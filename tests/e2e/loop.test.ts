import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { company, DEMO_PASSWORD, person } from "../../server/demo/cast";
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
import { CAPTCHA_TEXT, DESKTOP, logInOnForm } from "./web/world";

// The whole loop (issue 8): two hub nodes on Redis sharing one PostgreSQL database; the built
// extension on node A shows a QR; its screenshot becomes the fake camera of a phone Chromium on node
// B's 扫一扫, where jsQR reads it; the phone confirms on node B; the popup on node A moves on.
//
// The phone pages on main are still shells (their 登录 and 「确认登录」 buttons are disabled, "Pending"),
// so the phone's login, scan and confirm go through node B's real phone API (/api/app/login, /scan,
// /confirm) with the account the demo builder made, once the page has read the QR off the camera.
//
// Then 李强 enters company B on node A by its declaration password (a wrong one first), its legal
// representative 赵敏 authorizes him on node B's portal, he enters B again by that authorization, and
// 赵敏 sees both entries and the wrong try in 办税记录 on node B's phone page and portal.

const LI = person("liQiang");
const ZHAO = person("zhaoMin"); // legal representative of A, B, C and D
const B = company("B");
const PATIENT = { timeout: 30_000 };

let nodeA: Hub;
let nodeB: Hub;
let browser: ExtensionBrowser;
let phone: PhoneBrowser | undefined;
let zhaoPhone: PhoneBrowser | undefined;
let popup: Page;
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
  // Every captcha reads CAPTCHA_TEXT, so the popup can answer the one a wrong declaration password asks for.
  const captcha = { captchaText: () => CAPTCHA_TEXT };
  nodeA = await testHub({ ...shared, NODE_ID: "loop-a" }, captcha);
  // Node B's phone pages follow QR links of node A (the extension talks to A, the phone to B).
  nodeB = await testHub({ ...shared, NODE_ID: "loop-b", HUB_ORIGINS: nodeA.publicUrl }, captcha);
  await seedDemo({ db: nodeA.db, clock: systemClock, events: { emit() {} }, nodeId: "loop-a" });
  browser = await launchWithExtension();
  await useHub(browser, nodeA.url);
});

afterAll(async () => {
  await zhaoPhone?.close();
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
    popup = await new Popups(browser).open();
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

  it("shows the legal representative, on the phone and the portal, both ways 李强 entered company B", async () => {
    const facts = () => popup.locator(".facts").textContent();
    // The list itself (the workspace names the company too, until the list comes).
    const listed = (name: string) => popup.getByRole("listbox", { name: "单位列表" }).getByText(name);
    // By the declaration password on node A, after a wrong one.
    await listed(B.name).dblclick();
    await popup.getByLabel("申报密码").fill("WrongDecl1");
    await popup.getByRole("button", { name: "确定" }).click();
    await popup.getByText("申报密码错误").waitFor();
    await popup.getByLabel("申报密码").fill(B.declarationPassword);
    await popup.getByLabel("验证码", { exact: true }).fill(CAPTCHA_TEXT);
    await popup.getByRole("button", { name: "确定" }).click();
    await expect.poll(facts, PATIENT).toContain(B.name);

    // 赵敏 authorizes him for B on node B's portal.
    const portal = await browser.ctx.newPage();
    await portal.setViewportSize(DESKTOP);
    await portal.goto(`${nodeB.url}/web/company`);
    await logInOnForm(portal, { loginName: ZHAO.loginName, password: DEMO_PASSWORD }, "portal-login");
    const details = () =>
      portal.locator(`tr[data-tax-id="${B.taxId}"]`).getByRole("button", { name: "查看详情" }).click();
    await details();
    await portal.fill(`#grant-${B.taxId}-name`, LI.name);
    await portal.fill(`#grant-${B.taxId}-id-number`, LI.idNumber);
    await portal.getByRole("button", { name: "授权", exact: true }).click();
    await expect.poll(() => portal.textContent("[role=status]"), PATIENT).toBe("已为*强办理办税授权");

    // 切换单位 on node A: B now lets him in with no declaration password.
    await popup.getByRole("button", { name: "切换单位" }).click();
    await listed(B.name).dblclick();
    await popup.getByText("您已获得该单位的办税授权，无需输入申报密码").waitFor(PATIENT);
    await popup.getByRole("button", { name: "进入", exact: true }).click();
    await expect.poll(facts, PATIENT).toContain("办税授权");
    await screenshot(popup, "loop/05-popup-entered-by-authorization");

    // The portal's 办税记录, newest first: the authorization, the declaration password, the wrong try.
    await portal.reload(); // the portal keeps its login for the tab
    await details();
    const rows = portal.locator(".record-table tbody tr");
    await expect.poll(() => rows.count(), PATIENT).toBe(3);
    const cells = async (i: number) => rows.nth(i).locator("td").allTextContents();
    const who = `*强（居民身份证 ${LI.idNumber.slice(0, 4)}**********${LI.idNumber.slice(-4)}）`;
    const seen = [await cells(0), await cells(1), await cells(2)];
    expect(seen.map((c) => c.slice(1))).toEqual([
      [who, "进入单位", "扫码登录 · 办税授权", "127.0.0.*", "本机"],
      [who, "进入单位", "扫码登录 · 申报密码", "127.0.0.*", "本机"],
      [who, "申报密码错误", "申报密码", "127.0.0.*", "本机"],
    ]);
    // Beijing time, to the minute.
    const beijingNow = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const c of seen) expect(c[0]).toMatch(new RegExp(`^${beijingNow} \\d{2}:\\d{2}$`));
    await screenshot(portal, "loop/06-portal-records");
    // On a narrow screen each record is a card, each line named.
    await portal.setViewportSize({ width: 390, height: 844 });
    expect(await portal.locator(".record-table thead").isVisible()).toBe(false);
    await screenshot(portal, "loop/06b-portal-records-narrow");

    // The same on 赵敏's phone.
    zhaoPhone = await launchPhone({ camera: false });
    const app = zhaoPhone.page;
    await app.goto(`${nodeB.url}/app/company`);
    await app.waitForURL(/\/app\/login\?next=/, PATIENT);
    await logInOnForm(app, { loginName: ZHAO.loginName, password: DEMO_PASSWORD });
    await app.waitForURL(`${nodeB.url}/app/company`, PATIENT);
    await app.locator(`[data-tax-id="${B.taxId}"] button`).click();
    const items = app.locator(".record-list li");
    await expect.poll(() => items.count(), PATIENT).toBe(3);
    const texts = await items.allTextContents();
    expect(texts[0]).toContain("进入单位");
    expect(texts[0]).toContain("扫码登录 · 办税授权");
    expect(texts[1]).toContain("扫码登录 · 申报密码");
    expect(texts[2]).toContain("申报密码错误");
    for (const t of texts) expect(t).toContain("127.0.0.* 本机");
    await screenshot(app, "loop/07-phone-records");
    await portal.close();
  });
});
