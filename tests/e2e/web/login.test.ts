import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchPhone, type PhoneBrowser } from "../../support/phone-browser";
import {
  type Account,
  alertText,
  CAPTCHA_TEXT,
  logInOnForm,
  type PagesHub,
  pagesHub,
  registered,
} from "./world";

// seed 1.1 on the phone's 登录: the account is the phone number, the login name or the ID number; a wrong
// password brings a captcha; the 5th wrong one locks the account for 120 minutes, and 忘记密码 leads to
// the portal's recovery.

let w: PagesHub;
let browser: PhoneBrowser;
let page: Page;

beforeAll(async () => {
  w = await pagesHub();
  browser = await launchPhone({ camera: false });
  page = browser.page;
});
beforeEach(async () => {
  await page.goto(`${w.url}/app`);
  await page.evaluate(() => localStorage.clear());
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

/** One refused try; returns once the hub answered and the form has its next captcha. */
async function wrongPassword(a: Account, captcha?: string): Promise<void> {
  await page.fill("#login-account", a.loginName);
  await page.fill("#login-password", "Wrong#000");
  if (captcha !== undefined) await page.fill("#login-captcha", captcha);
  const answered = page.waitForResponse((r) => r.url().endsWith("/api/app/login"));
  const nextCaptcha = page.waitForResponse((r) => r.url().endsWith("/api/app/captcha"));
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await answered;
  await nextCaptcha;
  await page.waitForSelector("[role=alert]");
}

describe("logging in on the phone", () => {
  it.each([
    ["login name", (a: Account) => a.loginName],
    ["phone number", (a: Account) => a.phone],
    ["ID number", (a: Account) => a.idNumber],
  ])("takes the %s as the account and shows who is logged in at home", async (_, account) => {
    const a = await registered(w, { name: "欧阳娜娜" });
    await page.goto(`${w.url}/app/login`);
    await logInOnForm(page, { loginName: account(a), password: a.password });
    await page.waitForURL(`${w.url}/app`);
    expect(await page.textContent("[data-testid=who]")).toBe("您好，***娜");
    // The session is the hub's: the page sends it as a Bearer token, and it works there.
    const stored = JSON.parse(
      (await page.evaluate(() => localStorage.getItem("shiming.app.session"))) ?? "{}",
    );
    const me = await fetch(`${w.url}/api/app/me`, { headers: { authorization: `Bearer ${stored.token}` } });
    expect(me.status).toBe(200);
  });

  it("asks for a captcha after a wrong password, then logs in with it", async () => {
    const a = await registered(w);
    await page.goto(`${w.url}/app/login`);
    expect(await page.$("#login-captcha")).toBeNull();
    await wrongPassword(a);
    expect(await alertText(page)).toContain("账号或密码错误");
    expect(await page.getAttribute(".captcha-image img", "src")).toMatch(/^data:image\/png;base64,/);

    await page.fill("#login-password", a.password);
    await page.fill("#login-captcha", CAPTCHA_TEXT.toLowerCase()); // case-insensitive
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.waitForURL(`${w.url}/app`);
  });

  it("locks the account at the 5th wrong password and says for how long, with 忘记密码", async () => {
    const a = await registered(w);
    await page.goto(`${w.url}/app/login`);
    await wrongPassword(a);
    for (let i = 0; i < 4; i++) await wrongPassword(a, CAPTCHA_TEXT);
    expect(await alertText(page)).toContain("账号已被锁定");
    expect(await page.textContent(".lock-left")).toBe("剩余锁定时间：约120分钟");
    const link = page.locator(".form-error-links a");
    expect(await link.textContent()).toBe("忘记密码");
    expect(new URL((await link.getAttribute("href")) ?? "").pathname).toBe("/web/forgot-password");

    // Even the right password is refused while locked.
    await page.fill("#login-password", a.password);
    await page.fill("#login-captcha", CAPTCHA_TEXT);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect.poll(() => page.textContent(".lock-left")).toMatch(/^剩余锁定时间：约1[12]\d分钟$/);
    expect(new URL(page.url()).pathname).toBe("/app/login");
  });

  it("sends 忘记密码 to the portal's recovery", async () => {
    await page.goto(`${w.url}/app/login`);
    await page.getByRole("link", { name: "忘记密码" }).click();
    await page.waitForURL(`${w.url}/web/forgot-password`);
    expect(await page.textContent("h1")).toBe("忘记密码");
  });

  it("logs out: the hub ends the session and the page forgets it", async () => {
    const a = await registered(w);
    await page.goto(`${w.url}/app/login`);
    await logInOnForm(page, a);
    await page.waitForSelector("[data-testid=who]");
    const token = JSON.parse(
      (await page.evaluate(() => localStorage.getItem("shiming.app.session"))) ?? "{}",
    ).token;
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForSelector("text=登录 / 注册");
    expect(await page.evaluate(() => localStorage.getItem("shiming.app.session"))).toBeNull();
    const me = await fetch(`${w.url}/api/app/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
  });
});
