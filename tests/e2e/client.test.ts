import jsQR from "jsqr";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ExtensionBrowser, launchWithExtension, screenshot } from "../support/browser";
import { DEMO_USERS, FakeHub, type FakeUser } from "../support/fake-hub";
import { linesOf } from "./lines";

// The built extension in real Chromium against the fake hub: every screen of seed section 1, the
// worker finishing a QR login with the popup closed, and a stopped worker resuming from
// chrome.storage.session. Screenshots land in tests/e2e/screenshots/ for a person to look at.

const A = DEMO_USERS[0] as FakeUser;
const [BJ, SH] = A.companies as [FakeUser["companies"][0], FakeUser["companies"][0]];
const B: FakeUser = {
  account: "zhang_san",
  password: "Zhang1234!",
  handler: {
    name: "欧阳娜娜",
    maskedName: "**娜",
    maskedIdNumber: "3101**********0021",
    idType: "居民身份证",
  },
  companies: [
    {
      taxId: "91310000MA1FL8TQ3C",
      name: "上海某某人力资源服务有限公司（第一分公司）",
      access: "bound",
      declarationPassword: "First2020ok",
      unlisted: true,
    },
  ],
};

/** The slice of `chrome` the tests use inside the worker. */
type ChromeGlobal = {
  chrome: {
    storage: {
      local: {
        get(key: string): Promise<Record<string, unknown>>;
        set(v: Record<string, unknown>): Promise<void>;
      };
    };
  };
};

let hub: FakeHub;
let browser: ExtensionBrowser;
const pages: Page[] = [];

beforeAll(async () => {
  hub = await FakeHub.start({ users: [A, B] });
  browser = await launchWithExtension();
  // Each test can run alone: point the extension at the fake hub (the options test does it by hand).
  const worker = await browser.currentWorker();
  await worker.evaluate(
    (url) => (globalThis as unknown as ChromeGlobal).chrome.storage.local.set({ hubUrl: url }),
    hub.url,
  );
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

afterEach(async () => {
  for (const p of pages.splice(0)) if (!p.isClosed()) await p.close();
});

async function popup(): Promise<Page> {
  const page = await browser.openPopup();
  pages.push(page);
  return page;
}

/** The popup at the login, even if an earlier test left someone logged in. */
async function loginPopup(): Promise<Page> {
  const page = await popup();
  await page.locator(".card").waitFor();
  const out = page.getByRole("button", { name: /^退出(登录)?$/ });
  if (await out.count()) await out.click();
  await page.getByText("账号密码登录").waitFor();
  return page;
}

/** Look, and check the screen fits a toolbar popup: no sideways scroll, at most Chrome's 600px high. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const size = await page.evaluate(() => ({
    w: document.documentElement.scrollWidth,
    h: document.documentElement.scrollHeight,
  }));
  await screenshot(page, name);
  expect(size.w, `${name} is wider than the popup`).toBeLessThanOrEqual(360);
  expect(size.h, `${name} is taller than a popup can be`).toBeLessThanOrEqual(600);
}

/** Read a QR on screen the way a phone camera would. */
async function readQr(page: Page, selector: string): Promise<string | undefined> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

const online = (page: Page) => page.locator(".banner").waitFor({ state: "detached" });
const soft = (page: Page, label: string) =>
  page.locator(".soft-keyboard").getByRole("button", { name: label, exact: true });

async function logout(page: Page): Promise<void> {
  const button = page.getByRole("button", { name: /^退出(登录)?$/ });
  await button.click();
  await page.getByText("账号密码登录").waitFor();
}

async function passwordLogin(page: Page, user: FakeUser): Promise<void> {
  await online(page);
  await page.getByLabel("账号", { exact: true }).fill(user.account);
  await page.getByLabel("密码", { exact: true }).fill(user.password);
  // The worker keeps the last form's state: a captcha asked for earlier is still owed.
  const captcha = page.getByLabel("验证码", { exact: true });
  if (await captcha.count()) await captcha.fill(hub.captchaAnswer);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

describe("the withholding client in Chromium", () => {
  it("saves the hub address in the options page", async () => {
    const page = await browser.ctx.newPage();
    pages.push(page);
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.getByLabel("服务地址").fill("ftp://nowhere");
    await page.getByText(`连接地址：—`).waitFor();
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("服务地址只支持 http:// 或 https://").waitFor();
    await page.getByLabel("服务地址").fill(`${hub.url}/`);
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已保存").waitFor();
    await page.getByText(`连接地址：${hub.wsUrl}`).waitFor();
    await screenshot(page, "00-options");
    const worker = await browser.currentWorker();
    const stored = await worker.evaluate(() =>
      (globalThis as unknown as ChromeGlobal).chrome.storage.local.get("hubUrl"),
    );
    expect(stored.hubUrl).toBe(hub.url);
  });

  it("logs in with a wrong password, the captcha, then the right one, and enters a company", async () => {
    const page = await loginPopup();
    await online(page);
    expect(hub.connections.at(-1)?.origin).toBe(`chrome-extension://${browser.extensionId}`);
    await page.getByText("账号密码登录").waitFor();
    await shot(page, "01-login-default");

    await page.getByLabel("账号", { exact: true }).fill(A.account);
    for (const k of ["w", "r", "o", "n", "g", "1"]) await soft(page, k).click();
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.getByText("账号或密码错误").waitFor();
    await page.getByAltText("验证码").waitFor();
    await page.getByText("您还可以尝试4次").waitFor();
    await shot(page, "02-login-captcha");

    // The wrong password was typed on the soft keyboard only: no page script, no physical key.
    expect(hub.sent("login.password")[0]?.password).toBe("wrong1");
    await page.getByLabel("密码", { exact: true }).fill(A.password);
    await page.getByLabel("验证码", { exact: true }).fill(hub.captchaAnswer);
    await page.getByRole("button", { name: "登录", exact: true }).click();

    // seed 1.3.2: several companies → the list; the keyboard picks one.
    const list = page.getByRole("listbox", { name: "单位列表" });
    await list.waitFor();
    await shot(page, "04-company-list");
    await list.press("ArrowDown");
    await list.press("ArrowUp");
    await list.press("Enter");
    await page.getByText(`纳税人识别号：${BJ.taxId}`).waitFor();
    await shot(page, "05-declaration");

    await page.getByLabel("申报密码").fill("WrongDecl1");
    await page.getByRole("button", { name: "确定" }).click();
    await page.getByText("申报密码错误").waitFor();
    await page.getByAltText("验证码").waitFor();
    await shot(page, "06-declaration-captcha");

    await page.getByRole("button", { name: "忘记申报密码" }).click();
    expect(await readQr(page, ".forgot .qr-image")).toBe(`${hub.url}/app/download`);
    // The portal's address wraps only after a 「/」, never inside a word.
    const lines = await linesOf(page, ".forgot .web-link");
    expect(lines.join("")).toBe(`${hub.url.replace(/^https?:\/\//, "")}/web/declaration-password`);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/\/$/);
    await shot(page, "07-forgot-declaration");
    await page.getByRole("button", { name: "返回", exact: true }).click();

    await page.getByLabel("申报密码").fill(BJ.declarationPassword);
    await page.getByLabel("验证码", { exact: true }).fill(hub.captchaAnswer);
    await page.getByRole("button", { name: "确定" }).click();
    await page.getByText("登录成功").waitFor();
    await expect.poll(() => page.locator(".facts").textContent()).toContain(BJ.name);
    const facts = await page.locator(".facts").textContent();
    for (const text of ["张三", "1101**********4514", "账号密码登录", "申报密码"])
      expect(facts).toContain(text);
    await shot(page, "08-workspace");

    // 切换单位 → the authorized company goes in without a password.
    await page.getByRole("button", { name: "切换单位" }).click();
    await page.getByText(SH.name).dblclick();
    await page.getByText("您已获得该单位的办税授权，无需输入申报密码").waitFor();
    await shot(page, "05b-authorized");
    await page.getByRole("button", { name: "进入", exact: true }).click();
    await expect.poll(() => page.locator(".facts").textContent()).toContain("办税授权");
    await logout(page);
  });

  it("locks the account at the 5th wrong password", async () => {
    const page = await loginPopup();
    await online(page);
    await page.getByLabel("账号", { exact: true }).fill("13900000000");
    let image: string | null = null;
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel("密码", { exact: true }).fill(`Wrong${i}pass`);
      if (i > 1) {
        await expect.poll(() => page.getByAltText("验证码").getAttribute("src")).not.toBe(image);
        image = await page.getByAltText("验证码").getAttribute("src");
        await page.getByLabel("验证码", { exact: true }).fill(hub.captchaAnswer);
      }
      await page.getByRole("button", { name: "登录", exact: true }).click();
      if (i < 5) await page.getByText(`您还可以尝试${5 - i}次`).waitFor();
    }
    await page.getByText("剩余锁定时间：120分钟").waitFor();
    await page.getByText(/账号已被锁定/).waitFor();
    // The hub's way out is the form's own 忘记密码: offered once.
    await expect.poll(() => page.getByRole("button", { name: "忘记密码" }).count()).toBe(1);
    await shot(page, "03-login-locked");
  });

  it("logs in by QR: shown, refreshed after expiry, scanned, confirmed, redeemed by the worker", async () => {
    const page = await loginPopup();
    await online(page);
    await page.getByRole("button", { name: "切换到扫码登录" }).click();
    await page.getByText("请使用个人所得税APP扫一扫登录").waitFor();
    await page.locator(".qr-box .qr-image").waitFor();
    expect(await readQr(page, ".qr-box .qr-image")).toBe(`${hub.url}/app/qr/${hub.latestTicket?.id}`);
    await page.getByText(/二维码将在\d+秒后失效/).waitFor();
    await shot(page, "09-qr-live");

    hub.expire();
    await page.getByText("二维码已失效").waitFor();
    await shot(page, "11-qr-expired");
    const expired = hub.latestTicket?.id;
    await page.getByRole("button", { name: "刷新" }).click();
    await expect.poll(() => hub.latestTicket?.id).not.toBe(expired);
    await expect
      .poll(() => readQr(page, ".qr-box .qr-image"))
      .toBe(`${hub.url}/app/qr/${hub.latestTicket?.id}`);

    await page.getByRole("button", { name: "手机端下载" }).click();
    expect(await readQr(page, ".qr-box .qr-image")).toBe(`${hub.url}/app/download`);
    await shot(page, "12-qr-download");
    await page.getByRole("button", { name: "返回扫码登录" }).click();

    hub.scan("*三");
    await page.getByText("扫描成功，请在手机上确认").waitFor();
    await shot(page, "10-qr-scanned");
    hub.confirm();
    await page.getByRole("listbox", { name: "单位列表" }).waitFor();
    expect(hub.sent("qr.redeem")).toHaveLength(1);
    await logout(page);
  });

  it("says 已在手机上取消登录 when the phone cancels, then shows a fresh QR", async () => {
    const page = await loginPopup();
    await online(page);
    await page.getByRole("button", { name: "切换到扫码登录" }).click();
    await page.locator(".qr-box .qr-image").waitFor();
    const first = hub.latestTicket?.id;
    hub.scan();
    hub.cancel();
    await page.getByText("已在手机上取消登录").waitFor();
    await shot(page, "17-qr-cancelled");
    // A moment later, by itself: a new ticket, drawn.
    await expect.poll(() => hub.latestTicket?.id, { timeout: 15_000 }).not.toBe(first);
    await expect
      .poll(() => readQr(page, ".qr-box .qr-image"), { timeout: 15_000 })
      .toBe(`${hub.url}/app/qr/${hub.latestTicket?.id}`);
    await expect.poll(() => page.getByText("已在手机上取消登录").count()).toBe(0);
    await page.getByRole("button", { name: "切换到账号密码登录" }).click();
  });

  it("remembers the account with 记住账号 (never the password), and forgets it when unticked", async () => {
    let page = await loginPopup();
    await online(page);
    // The seed's words for the account, and a soft keyboard with no English key.
    expect(await page.getByLabel("账号", { exact: true }).getAttribute("placeholder")).toBe(
      "手机号码/登录名/证件号码",
    );
    expect(await soft(page, "上档键").textContent()).toBe("⇧");
    expect(await page.locator(".soft-keyboard").textContent()).not.toContain("Shift");
    await page.getByLabel("账号", { exact: true }).fill(B.account);
    await page.getByLabel("密码", { exact: true }).fill(B.password);
    await page.getByRole("checkbox", { name: "记住账号" }).check();
    await shot(page, "01b-login-remember");
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.getByText("单位办税验证").waitFor();
    // Their own client shows their own name whole.
    await page.getByText(`办税人员：${B.handler.name}`).waitFor();
    await logout(page);
    await page.close();

    page = await popup();
    await page.getByText("账号密码登录").waitFor();
    expect(await page.getByLabel("账号", { exact: true }).inputValue()).toBe(B.account);
    expect(await page.getByLabel("密码", { exact: true }).inputValue()).toBe("");
    expect(await page.getByRole("checkbox", { name: "记住账号" }).isChecked()).toBe(true);
    const worker = await browser.currentWorker();
    const local = await worker.evaluate(() =>
      (globalThis as unknown as ChromeGlobal).chrome.storage.local.get("account"),
    );
    expect(local).toEqual({ account: B.account });

    await page.getByRole("checkbox", { name: "记住账号" }).uncheck();
    await passwordLogin(page, B);
    await page.getByText("单位办税验证").waitFor();
    await logout(page);
    await page.close();
    page = await popup();
    await page.getByText("账号密码登录").waitFor();
    expect(await page.getByLabel("账号", { exact: true }).inputValue()).toBe("");
  });

  it("warns a minute before the idle end, and 继续使用 keeps the session", async () => {
    try {
      const page = await loginPopup();
      await passwordLogin(page, B);
      await page.getByText("单位办税验证").waitFor();
      // Resumed on a new socket, the hub says the session has sat idle for all but 75 s.
      hub.idleMs = 75_000;
      hub.closeConnection(1001);
      const warning = page.getByText(/^您已长时间未操作，将在\d+秒后退出登录$/);
      await warning.waitFor({ timeout: 30_000 });
      await shot(page, "18-idle-warning");
      const lists = hub.sent("company.list").length;
      await page.getByRole("button", { name: "继续使用" }).click();
      await expect.poll(() => hub.sent("company.list").length).toBe(lists + 1);
      await warning.waitFor({ state: "detached" });
      await page.getByText("单位办税验证").waitFor();
      await logout(page);
    } finally {
      hub.idleMs = 30 * 60_000;
    }
  });

  it("finishes a QR login while the popup is closed", async () => {
    let page = await loginPopup();
    await online(page);
    await page.getByRole("button", { name: "切换到扫码登录" }).click();
    await page.locator(".qr-box .qr-image").waitFor();
    const redeemed = hub.sent("qr.redeem").length;
    await page.close();

    hub.scan();
    hub.confirm();
    await expect.poll(() => hub.sent("qr.redeem").length).toBe(redeemed + 1);

    page = await popup();
    await page.getByRole("listbox", { name: "单位列表" }).waitFor();
    await logout(page);
  });

  it("resumes a QR login after the browser stopped the service worker", async () => {
    let page = await loginPopup();
    await online(page);
    await page.getByRole("button", { name: "切换到扫码登录" }).click();
    await page.locator(".qr-box .qr-image").waitFor();
    const ticket = hub.latestTicket;
    await page.close();

    await browser.stopWorker();
    await expect.poll(() => hub.current).toBeUndefined(); // the socket died with the worker
    hub.scan(undefined, ticket);
    hub.confirm(ticket);

    page = await popup();
    await page.getByRole("listbox", { name: "单位列表" }).waitFor();
    expect(hub.sent("hello").at(-1)?.resume?.ticket?.id).toBe(ticket?.id);
    await shot(page, "13-resumed-after-worker-stop");

    // Stopped again, logged in this time: the session token brings it back to the same step.
    await page.close();
    await browser.stopWorker();
    await expect.poll(() => hub.current).toBeUndefined();
    page = await popup();
    await page.getByRole("listbox", { name: "单位列表" }).waitFor();
    expect(hub.sent("hello").at(-1)?.resume?.session).toBeDefined();
    await logout(page);
  });

  it("shows 网络连接中断，正在重连… while the hub is away, and carries on after", async () => {
    const page = await loginPopup();
    await online(page);
    let away = true;
    hub.on("hello", (_m, conn) => {
      if (!away) return undefined;
      conn.ws.close(4503, "unavailable");
      return [];
    });
    hub.closeConnection();
    await page.getByText("网络连接中断，正在重连…").waitFor();
    await shot(page, "14-reconnecting");
    away = false;
    await online(page);
    hub.on("hello", () => undefined);
  });

  it("adds the first company by taxpayer ID and declaration password", async () => {
    const page = await loginPopup();
    await passwordLogin(page, B);
    await page.getByText("添加单位").waitFor();
    await shot(page, "15-add-company");
    const company = B.companies[0];
    await page.getByLabel("纳税人识别号").fill(company?.taxId ?? "");
    await page.getByLabel("申报密码").fill(company?.declarationPassword ?? "");
    await page.getByRole("button", { name: "确定" }).click();
    await expect.poll(() => page.locator(".facts").textContent()).toContain(company?.name);
    await shot(page, "15b-workspace-long-name");
    await logout(page);
  });

  it("offers CA only while the hub does", async () => {
    const page = await loginPopup();
    await passwordLogin(page, A);
    const list = page.getByRole("listbox", { name: "单位列表" });
    await list.waitFor();
    await page.getByText(BJ.name).dblclick();
    await page.getByLabel("申报密码").waitFor();
    expect(await page.getByRole("tab", { name: "CA校验" }).count()).toBe(0);

    hub.caOffered = true;
    hub.closeConnection(1001); // GOING_AWAY: the client reconnects and reads the new welcome
    await page.getByRole("tab", { name: "CA校验" }).click();
    await page.getByLabel("CA证书").waitFor();
    await shot(page, "16-ca");
    hub.caOffered = false;
    await logout(page);
  });
});
