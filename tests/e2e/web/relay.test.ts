import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeClient } from "../../support/fake-client";
import { launchPhoneSeeing, type PhoneBrowser } from "../../support/phone-browser";
import { type Account, logInOnForm, type PagesHub, pagesHub, registered } from "./world";

// QRLJacking on the phone page: a QR relayed from someone else's screen. The hub trusts its loopback
// peer as a proxy (TRUST_PROXY=loopback), so the test plays the balancer: the client's socket and the
// phone's requests each carry the address they "come from" in X-Forwarded-For. The phone's camera
// (Chromium's fake camera playing the QR) reads the client's QR through 扫一扫.
//
// Screenshots (git-ignored), for a person to look at: tests/e2e/screenshots/web/relay-*.png

const OUT = resolve("tests/e2e/screenshots/web");
const BEIJING = "180.76.76.76"; // 北京市
const SHENZHEN = "113.118.113.77"; // 广东省 深圳市
const SHENZHEN_TOO = "202.96.134.133"; // 广东省 深圳市, another network

let w: PagesHub;
let person: Account;
let phone: PhoneBrowser | undefined;
const clients: FakeClient[] = [];

beforeAll(async () => {
  w = await pagesHub({ env: { TRUST_PROXY: "loopback" } });
  person = await registered(w, { name: "张三" });
  await mkdir(OUT, { recursive: true });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.close();
  await phone?.close();
  phone = undefined;
});
afterAll(() => w?.close());

/** A client asking for a QR from `ip`, claiming to run on Windows. */
async function clientFrom(ip: string) {
  const client = await FakeClient.connect(w.url, { headers: { "x-forwarded-for": ip }, os: "Windows" });
  clients.push(client);
  return { client, ticket: await client.issue() };
}

/** A phone at `ip` whose camera sees `qr`, logged in to the app. */
async function phoneAt(ip: string, qr: string): Promise<Page> {
  phone = await launchPhoneSeeing(qr);
  await phone.ctx.setExtraHTTPHeaders({ "x-forwarded-for": ip });
  const { page } = phone;
  await page.goto(`${w.url}/app/login`);
  await logInOnForm(page, person);
  await page.waitForSelector("[data-testid=who]");
  return page;
}

async function scanWithCamera(page: Page, url: string): Promise<void> {
  await page.getByRole("link", { name: "扫一扫" }).first().click();
  await page.waitForURL(url, { timeout: 60_000 });
  await page.waitForSelector("[data-state=ask]");
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });

describe("the confirm page compares the asking computer with the phone", () => {
  it("says so quietly when the computer is where the phone is", async () => {
    const { client, ticket } = await clientFrom(SHENZHEN);
    const page = await phoneAt(SHENZHEN_TOO, ticket.url);
    await scanWithCamera(page, ticket.url);
    await client.state(ticket.ticketId, "scanned");
    expect(await page.textContent("[data-notice=same-place]")).toBe("电脑与您的手机都在广东省 深圳市");
    expect(await page.$("[role=alert]")).toBeNull();
    expect(await page.getByRole("button", { name: "确认登录" }).isEnabled()).toBe(true);
    await shot(page, "relay-same-place");
    await page.getByRole("button", { name: "确认登录" }).click();
    await client.state(ticket.ticketId, "confirmed");
  });

  it("warns, and holds 确认登录 back, when the QR was relayed from a computer elsewhere", async () => {
    const { client, ticket } = await clientFrom(BEIJING);
    const page = await phoneAt(SHENZHEN, ticket.url);
    await scanWithCamera(page, ticket.url);
    const warning = await page.textContent("[data-notice=elsewhere]");
    expect(warning).toContain("发起登录的电脑与您的手机不在同一地点");
    expect(warning).toContain(
      `请确认是您本人在电脑上操作：发起登录的电脑在北京市（IP ${BEIJING}），而您的手机在广东省 深圳市（IP ${SHENZHEN}）。`,
    );
    expect(warning).toContain("请立即点击「取消」");
    const confirm = page.getByRole("button", { name: "确认登录" });
    expect(await confirm.isEnabled()).toBe(false);
    await shot(page, "relay-elsewhere");
    // The person who really is at that computer (travelling) can still go on, deliberately.
    await page.getByLabel("我确认是我本人正在这台电脑上操作，二维码不是别人发给我的").check();
    expect(await confirm.isEnabled()).toBe(true);
    await page.getByRole("button", { name: "取消" }).click();
    await client.state(ticket.ticketId, "cancelled");
  });

  it("opened from a link, warns before anything is sent to the computer", async () => {
    const { client, ticket } = await clientFrom(BEIJING);
    const page = await phoneAt(SHENZHEN, `${w.url}/app`); // the camera sees nothing of use
    await page.goto(ticket.url); // a link in a chat, tapped
    await page.waitForSelector("[data-state=link]");
    expect(await page.textContent("[data-notice=link]")).toContain("此页面不是通过「扫一扫」打开的");
    expect(await page.textContent("[data-notice=elsewhere]")).toContain("请确认是您本人在电脑上操作");
    expect(await page.$('button:has-text("确认登录")')).toBeNull();
    // Nothing was posted: the client still shows its QR, not 扫描成功 (a round trip first, so a push
    // the page caused would have arrived).
    await client.request({ type: "ping" });
    expect(client.all("qr.state")).toEqual([]);
    await shot(page, "relay-link-opened");
    await page.getByRole("button", { name: "不是我，返回首页" }).click();
    await page.waitForURL(`${w.url}/app`);
    expect(client.all("qr.state")).toEqual([]);
  });
});
