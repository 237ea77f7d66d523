import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { company, DEMO_PASSWORD, person } from "../../server/demo/cast";
import { seedDemo } from "../../server/demo/seed";
import type { Hub } from "../../server/hub";
import { systemClock } from "../../server/kernel/clock";
import { GECKO_ID } from "../../shared/extension-id";
import { FakePhone } from "../support/fake-phone";
import {
  clickButton,
  FIREFOX_EXTENSION_DIR,
  FIREFOX_ORIGIN,
  type FirefoxAddon,
  firefoxScreenshot,
  launchFirefoxWithAddon,
  readQrIn,
  typeInto,
  waitForText,
} from "../support/firefox";
import { testHub } from "../support/hub-nodes";

// The built Firefox add-on (`npm run build:ext:firefox`) in Firefox ESR, its UUID pinned as a fleet's
// policy would, against a REAL in-process hub filled by `npm run demo`'s builder that allows its
// origin (ALLOWED_ORIGINS): password login to a company with its declaration password, a QR login
// confirmed by a scripted phone over the real API, and a hub that does NOT allow the origin.

const CAPTCHA = "ACE4"; // every captcha the hub draws (HubOptions.captchaText), so the test can type it
const LI = person("liQiang"); // companies A and B by declaration password, C by authorization
const [A, B] = [company("A"), company("B")];

let hub: Hub;
let firefox: FirefoxAddon;
const pages: Page[] = [];

beforeAll(async () => {
  hub = await testHub({ ALLOWED_ORIGINS: FIREFOX_ORIGIN }, { captchaText: () => CAPTCHA });
  await seedDemo({ db: hub.db, clock: systemClock, events: { emit() {} }, nodeId: "demo" });
  firefox = await launchFirefoxWithAddon();
  await firefox.setHubUrl(hub.url);
});

afterAll(async () => {
  await firefox?.close();
  await hub?.close();
});

afterEach(async () => {
  for (const p of pages.splice(0)) if (!p.isClosed()) await p.close();
});

/** The popup at the login, online (no banner), even if an earlier test left someone logged in. */
async function loginPopup(): Promise<Page> {
  const page = await firefox.openPopup();
  pages.push(page);
  await page.waitForFunction(() => !document.querySelector(".banner"), { timeout: 30_000 });
  if (await page.$(".facts")) await clickButton(page, "退出");
  await waitForText(page, "账号密码登录");
  return page;
}

async function passwordLogin(page: Page, account: string, password: string): Promise<void> {
  await typeInto(page, "#account", account);
  await typeInto(page, "#login-password", password);
  if (await page.$("#login-captcha")) await typeInto(page, "#login-captcha", CAPTCHA);
  await clickButton(page, "登录");
}

const facts = (page: Page) => page.$eval(".facts", (el) => el.textContent ?? "");

describe("the built Firefox add-on against the real hub", () => {
  it("carries a Firefox manifest: the gecko id, no Chrome key, the store icons", () => {
    const manifest = JSON.parse(readFileSync(join(FIREFOX_EXTENSION_DIR, "manifest.json"), "utf8"));
    expect(manifest).not.toHaveProperty("key");
    expect(manifest).not.toHaveProperty("minimum_chrome_version");
    expect(manifest.browser_specific_settings.gecko).toMatchObject({
      id: GECKO_ID,
      data_collection_permissions: { required: ["none"] },
    });
    expect(Object.keys(manifest.icons)).toEqual(["16", "32", "48", "96", "128"]);
  });

  it("logs 李强 in by password, through the captcha, to a company and its declaration password", async () => {
    const page = await loginPopup();
    await firefoxScreenshot(page, "01-login");
    await passwordLogin(page, LI.loginName, "Wrong1234");
    await waitForText(page, "账号或密码错误");
    await waitForText(page, "您还可以尝试4次");
    expect(await page.$("img[alt='验证码']")).not.toBeNull();

    await passwordLogin(page, LI.loginName, DEMO_PASSWORD);
    await page.waitForSelector("[role=listbox][aria-label='单位列表']", { timeout: 30_000 });
    await waitForText(page, B.name);
    await firefoxScreenshot(page, "02-company-list");

    await page.click(`#company-${B.taxId}`);
    await clickButton(page, "进入");
    await waitForText(page, `纳税人识别号：${B.taxId}`);
    await firefoxScreenshot(page, "02b-declaration-password");
    await typeInto(page, "#declaration-password", B.declarationPassword);
    await clickButton(page, "确定");
    await waitForText(page, "登录成功");
    await page.waitForSelector(".facts", { timeout: 30_000 });
    const seen = await facts(page);
    // 李强's own client shows his own name whole.
    for (const text of [B.name, "李强", "账号密码登录", "申报密码"]) expect(seen).toContain(text);
    expect(seen).not.toContain("*强");
    await firefoxScreenshot(page, "03-workspace");
    await clickButton(page, "退出");
    await waitForText(page, "账号密码登录");
  });

  it("logs 李强 in by the popup's QR, scanned and confirmed on the phone", async () => {
    const page = await loginPopup();
    await clickButton(page, "切换到扫码登录");
    await page.waitForSelector(".qr-box .qr-image", { timeout: 30_000 });
    const url = await readQrIn(page, ".qr-box .qr-image");
    expect(url).toMatch(new RegExp(`^${hub.publicUrl}/app/qr/`));
    await firefoxScreenshot(page, "04-qr");

    const phone = await FakePhone.loginWithPassword(hub.url, LI.loginName, DEMO_PASSWORD);
    const id = FakePhone.ticketIdOf(url as string);
    expect((await phone.scan(url as string)).status).toBe(200); // what the QR shows (rotated or not)
    await waitForText(page, "扫描成功，请在手机上确认");
    await firefoxScreenshot(page, "05-qr-scanned");
    expect((await phone.confirm(id)).status).toBe(200);
    await page.waitForSelector("[role=listbox][aria-label='单位列表']", { timeout: 30_000 });

    await page.click(`#company-${A.taxId}`);
    await clickButton(page, "进入");
    await typeInto(page, "#declaration-password", A.declarationPassword);
    await clickButton(page, "确定");
    await page.waitForSelector(".facts", { timeout: 30_000 });
    const seen = await facts(page);
    expect(seen).toContain(A.name);
    expect(seen).toContain("扫码登录");
    await clickButton(page, "退出");
    await waitForText(page, "账号密码登录");
  });

  it("says plainly when a hub does not allow this browser's origin, naming the origin to add", async () => {
    const strict = await testHub();
    try {
      await firefox.setHubUrl(strict.url);
      const page = await firefox.openPopup();
      pages.push(page);
      const banner = `服务器未允许此浏览器连接：请管理员将 ${FIREFOX_ORIGIN} 加入 ALLOWED_ORIGINS`;
      await waitForText(page, banner);
      expect(await page.$eval("[role=alert]", (el) => el.textContent)).toBe(banner);
      await firefoxScreenshot(page, "06-origin-refused");

      // Back to a hub that allows it: the banner goes once the socket is welcomed.
      await firefox.setHubUrl(hub.url);
      await page.waitForFunction(() => !document.querySelector(".banner"), { timeout: 30_000 });
    } finally {
      await strict.close();
    }
  });
});
