import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCompany } from "../../../server/hall/service";
import { systemClock } from "../../../server/kernel/clock";
import { FakeClient } from "../../support/fake-client";
import { launchPhoneSeeing, type PhoneBrowser } from "../../support/phone-browser";
import {
  type Account,
  appToken,
  CAPTCHA_TEXT,
  hallCode,
  lockAccount,
  logInOnForm,
  type PagesHub,
  pagesHub,
  phoneNumber,
  registered,
  residentId,
  smsCode,
} from "./world";

// A picture of every page, and of each state a person meets on it, at phone size (390×844) and desktop
// size (1280×800), for a person to look at. tests/e2e/screenshots/ is git-ignored.

const OUT = resolve("tests/e2e/screenshots/web");
const SIZES = [
  ["phone", { width: 390, height: 844 }],
  ["desktop", { width: 1280, height: 800 }],
] as const;
type Size = (typeof SIZES)[number][0];

let phone: PhoneBrowser;
let w: PagesHub;
let people: Awaited<ReturnType<typeof cast>>;
let size: Size;
let page: Page;
const shots: string[] = [];
const TAX_ID = "91350100M000100Y43";

/** The people the screens show: one to log in, one to lock, a legal representative with a company. */
async function cast(hub: PagesHub) {
  const [person, locked, legalRep, handler] = [
    await registered(hub, { name: "张三" }),
    await registered(hub, { name: "赵六" }),
    await registered(hub, { name: "欧阳娜娜" }),
    await registered(hub, { name: "王五" }),
  ];
  await addCompany(
    { db: hub.hub.db, clock: systemClock, nodeId: "test", operator: "test-hall" },
    {
      taxId: TAX_ID,
      name: "福州示例软件有限公司",
      legalRep: { idType: legalRep.idType, idNumber: legalRep.idNumber },
      declarationPassword: "Decl0001",
      local: true,
    },
  );
  const res = await fetch(`${hub.url}/api/app/companies/${TAX_ID}/authorizations`, {
    method: "POST",
    headers: { authorization: `Bearer ${await appToken(hub, legalRep)}`, "content-type": "application/json" },
    body: JSON.stringify({ name: handler.name, idType: handler.idType, idNumber: handler.idNumber }),
  });
  if (res.status !== 201) throw new Error(`grant: ${res.status}`);
  return { person, locked, legalRep, handler };
}

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  // The camera sees a QR from elsewhere, so the scan screen shows its live view, not a decoded ticket.
  phone = await launchPhoneSeeing("https://example.com/", { deviceScaleFactor: 1 });
  page = phone.page;
});
afterAll(async () => {
  await phone?.close();
  await w?.close();
});

async function shot(name: string): Promise<void> {
  await page.waitForSelector("#app > *");
  await page.evaluate(() => document.fonts.ready);
  // A full-page picture of a scrolled page would draw the sticky title bar mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${OUT}/${size}-${name}.png`, fullPage: true });
  shots.push(`${size}-${name}`);
}

/** The picker's fonts load when their characters are laid out: wait for them before a picture. */
async function fontsLoaded(): Promise<void> {
  await page.waitForFunction(() => [...document.fonts].every((f) => f.status !== "loading"));
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

async function visit(path: string, name: string): Promise<void> {
  await page.goto(`${w.url}${path}`);
  await shot(name);
}

/** Logs `a` in on the phone (the app session stays in localStorage for the screens after). */
async function logIn(a: Account): Promise<void> {
  await page.goto(`${w.url}/app`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${w.url}/app/login`);
  await logInOnForm(page, a);
  await page.waitForSelector("[data-testid=who]");
}

async function logOut(): Promise<void> {
  await page.goto(`${w.url}/app`);
  await page.evaluate(() => localStorage.clear());
}

async function appPages(): Promise<void> {
  await logOut();
  await visit("/app", "app-home");
  await visit("/app/login", "app-login");
  // A wrong password asks for a captcha from then on: shown with the account about to be locked.
  await page.fill("#login-account", people.locked.loginName);
  await page.fill("#login-password", "Wrong#000");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForSelector(".captcha-image img");
  await shot("app-login-captcha");
  await lockAccount(w, people.locked);
  await page.fill("#login-account", people.locked.loginName);
  await page.fill("#login-password", people.locked.password);
  await page.fill("#login-captcha", CAPTCHA_TEXT);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForSelector(".lock-left");
  await shot("app-login-locked");
  await visit("/app/download", "app-download");
  await visit("/app/no-such-page", "app-not-found");
  await page.goto(`${w.url}/app/scan`);
  await expect.poll(() => page.getAttribute(".scan", "data-camera")).toBe("on");
  await shot("app-scan");

  await logIn(people.person);
  await visit("/app", "app-home-logged-in");
  const client = await FakeClient.connect(w.url);
  try {
    for (const [end, name] of [
      ["确认登录", "app-confirm-done"],
      ["取消", "app-confirm-cancelled"],
    ] as const) {
      const ticket = await client.issue();
      await page.goto(ticket.url);
      await page.waitForSelector("[data-state=ask]");
      await shot("app-confirm");
      await page.getByRole("button", { name: end }).click();
      await page.waitForSelector("[role=status] h2");
      await shot(name);
    }
    const expiring = await client.issue();
    w.clock.advance(121_000);
    await page.goto(expiring.url);
    await page.waitForSelector("[role=status] h2");
    await shot("app-confirm-expired");
  } finally {
    client.ws.close();
  }
}

async function appRegistration(): Promise<void> {
  await visit("/app/register", "app-register");
  await page.getByLabel("我已阅读并同意《用户注册协议》").check();
  await page.click("details.agreement summary");
  await shot("app-register-agreed");

  const idNumber = residentId();
  const code = await hallCode(w, { name: "张\u{20000}", idType: "居民身份证", idNumber });
  await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
  await page.fill("#reg-code", code);
  await page.fill("#reg-name", "张\u{20000}");
  await page.fill("#reg-id-number", idNumber);
  await shot("app-register-hall-code");
  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForSelector("#reg-login-name");
  await shot("app-register-account");
  const mobile = phoneNumber();
  await page.fill("#reg-login-name", "1234");
  await page.fill("#reg-password", "abc 12");
  await page.fill("#reg-password-again", "abc");
  await shot("app-register-account-rules");
  await page.fill("#reg-login-name", "zhang_2024");
  await page.fill("#reg-password", "Zhang#2024");
  await page.fill("#reg-password-again", "Zhang#2024");
  await page.fill("#reg-phone", mobile);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await page.fill("#reg-sms", await smsCode(w, mobile, "register"));
  await shot("app-register-account-filled");
  await page.getByRole("button", { name: "完成注册" }).click();
  await page.waitForSelector("[data-testid=registered]");
  await shot("app-register-done");

  await page.goto(`${w.url}/app/register`);
  await page.getByLabel("我已阅读并同意《用户注册协议》").check();
  await page.getByRole("button", { name: /^人脸识别认证注册/ }).click();
  await page.selectOption("#reg-id-type", "中国护照");
  await shot("app-register-face-passport");
  await page.selectOption("#reg-id-type", "居民身份证");
  await page.fill("#reg-name", "孙八");
  await page.fill("#reg-id-number", residentId());
  await shot("app-register-face");
  await page.getByRole("button", { name: "开始人脸识别" }).click();
  await page.waitForSelector(".face[data-camera=on]");
  await shot("app-register-face-camera");
  await page.getByRole("button", { name: "拍摄" }).click();
  await page.waitForSelector("[role=alert]");
  await shot("app-register-face-refused");
}

async function companyPages(): Promise<void> {
  await logIn(people.legalRep);
  await visit("/app/company", "app-company");
  await page.locator(`[data-tax-id="${TAX_ID}"] button`).click();
  await page.waitForSelector(".authorizations");
  await shot("app-company-detail");
  await page.fill(`#decl-${TAX_ID}-password`, "short");
  await page.fill(`#decl-${TAX_ID}-confirm`, "shorter");
  await shot("app-company-declaration-rules");

  await page.goto(`${w.url}/web/company`);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await logInOnForm(page, people.legalRep, "portal-login");
  await page.waitForSelector(`tr[data-tax-id="${TAX_ID}"]`);
  await shot("web-company");
  await page.getByRole("button", { name: "查看详情" }).click();
  await page.waitForSelector(".authorizations");
  await page.getByRole("button", { name: "解除授权" }).click();
  await shot("web-company-detail");
  await page.getByRole("button", { name: "退出登录" }).click();
}

async function portalPages(): Promise<void> {
  await visit("/web", "web-home");
  await visit("/web/declaration-password", "web-declaration-password");
  await visit("/web/no-such-page", "web-not-found");
  await visit("/web/company", "web-company-login");

  await visit("/web/register", "web-register");
  await page.getByRole("button", { name: "同意并继续" }).click();
  await shot("web-register-methods");
  await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
  await shot("web-register-identity");
  await page.getByRole("button", { name: "录入生僻字" }).click();
  await page.waitForSelector(".rare-radical");
  await shot("web-rare-radicals");
  // 页 → 6画 holds 𫖮 (Ext E); the same radical counted by total strokes (页 has 6 of its own).
  await page.click(`[data-radical="181'"]`);
  await page.click('[data-strokes="6"]');
  await page.click('.rare-chars [title="U+2B5AE"]');
  await fontsLoaded();
  await shot("web-rare-ye-6");
  await page.getByRole("button", { name: "总笔画数" }).click();
  await page.click('[data-strokes="12"]');
  await fontsLoaded();
  await shot("web-rare-ye-total-12");
  await page.getByRole("button", { name: "重选部首" }).click();
  await page.click('[data-radical="1"]');
  // The count chosen stays for the next radical; back to the one the seed describes.
  await page.getByRole("button", { name: "除部首外笔画数" }).click();
  await page.click('[data-strokes="1"]');
  await page.click('.rare-chars [title="U+20000"]');
  await fontsLoaded();
  await shot("web-rare-characters");
  await page.getByRole("button", { name: "确定" }).click();

  const idNumber = residentId();
  const code = await hallCode(w, { name: "\u{20000}", idType: "居民身份证", idNumber });
  await page.fill("#reg-id-number", idNumber);
  await page.fill("#reg-code", code);
  await shot("web-register-identity-filled");
  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForSelector("#reg-login-name");
  const mobile = phoneNumber();
  await page.fill("#reg-login-name", "rare_2024");
  await page.fill("#reg-password", "Rare#2024x");
  await page.fill("#reg-password-again", "Rare#2024x");
  await page.fill("#reg-phone", mobile);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await page.fill("#reg-sms", await smsCode(w, mobile, "register"));
  await page.selectOption("#reg-region-province", { label: "广东省" });
  await page.selectOption("#reg-region-city", { label: "广州市" });
  await page.selectOption("#reg-region-county", { label: "天河区" });
  await shot("web-register-account");
  await page.getByRole("button", { name: "完成注册" }).click();
  await page.waitForSelector("[data-testid=registered]");
  await shot("web-register-done");

  const account = await registered(w, { name: "吴十" });
  await visit("/web/forgot-password", "web-forgot-password");
  await page.fill("#fp-name", "吴十");
  await page.fill("#fp-id-number", account.idNumber);
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await page.waitForSelector("#fp-sms");
  await page.fill("#fp-password", "NewPass#2");
  await shot("web-forgot-password-reset");
  await page.fill("#fp-sms", await smsCode(w, account.phone, "reset_password"));
  await page.fill("#fp-password-again", "NewPass#2");
  await page.getByRole("button", { name: "重置密码" }).click();
  await page.waitForSelector("[data-testid=reset-done]");
  await shot("web-forgot-password-done");
}

describe("screenshots of every page", () => {
  for (const [name, viewport] of SIZES) {
    it(`renders each page and its states at ${name} size`, async () => {
      // A hub per size: the hub's per-address limits (5 SMS a minute) hold for each run of the pages.
      await w?.close();
      w = await pagesHub();
      people = await cast(w);
      size = name;
      await page.setViewportSize(viewport);
      await appPages();
      await appRegistration();
      await companyPages();
      await portalPages();
      expect(shots.filter((s) => s.startsWith(name)).length).toBeGreaterThan(30);
    });
  }
});
