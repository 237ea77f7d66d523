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
  chooseRegion,
  fillAccount,
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
// size (1280×800), for a person to look at; each picture is taken only once the words that say which
// state it is are on screen. tests/e2e/screenshots/ is git-ignored.

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

/** The picture `name`, once every text in `sees` is visible (and each field in `values` holds its value). */
async function shot(name: string, sees: string[], values: Record<string, string> = {}): Promise<void> {
  await page.waitForSelector("#app > *");
  for (const text of sees) await page.getByText(text).filter({ visible: true }).first().waitFor();
  for (const [field, value] of Object.entries(values)) expect(await page.inputValue(field)).toBe(value);
  await page.evaluate(() => document.fonts.ready);
  // A full-page picture of a scrolled page would draw the sticky title bar mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${OUT}/${size}-${name}.png`, fullPage: true });
}

/** The picker's fonts load when their characters are laid out: wait for them before a picture. */
async function fontsLoaded(): Promise<void> {
  await page.waitForFunction(() => [...document.fonts].every((f) => f.status !== "loading"));
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

async function visit(path: string, name: string, sees: string[]): Promise<void> {
  await page.goto(`${w.url}${path}`);
  await shot(name, sees);
}

/** A mobile number as the pages show it. */
const masked = (mobile: string) => `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;

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
  await visit("/app", "app-home", ["登录后扫描扣缴客户端的二维码，在手机上确认即可登录", "登录 / 注册"]);
  await visit("/app/login", "app-login", ["账号", "立即注册", "忘记密码"]);
  // A wrong password asks for a captcha from then on: shown with the account about to be locked.
  await page.fill("#login-account", people.locked.loginName);
  await page.fill("#login-password", "Wrong#000");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForSelector(".captcha-image img");
  await shot("app-login-captcha", ["账号或密码错误", "再输错4次，账号将被锁定120分钟"]);
  await lockAccount(w, people.locked);
  await page.fill("#login-account", people.locked.loginName);
  await page.fill("#login-password", people.locked.password);
  await page.fill("#login-captcha", CAPTCHA_TEXT);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForSelector(".lock-left");
  await shot("app-login-locked", ["账号已被锁定，请在120分钟后再试", "剩余锁定时间：约120分钟"]);
  await visit("/app/download", "app-download", ["本网页版用于代替“个人所得税”APP", "打开个人所得税"]);
  await visit("/app/no-such-page", "app-not-found", ["页面不存在", "返回首页"]);
  await page.goto(`${w.url}/app/scan`);
  await expect.poll(() => page.getAttribute(".scan", "data-camera")).toBe("on");
  await shot("app-scan", ["将扣缴客户端上的二维码放入框内，即可自动扫描", "无法识别的二维码"]);

  await logIn(people.person);
  await visit("/app", "app-home-logged-in", ["您好，张三", "退出登录"]);
  const client = await FakeClient.connect(w.url);
  try {
    for (const [end, name, sees] of [
      ["确认登录", "app-confirm-done", "扣缴客户端已登录，请在电脑上继续办理业务"],
      ["取消", "app-confirm-cancelled", "本次扫码登录已取消，扣缴客户端不会登录"],
    ] as const) {
      const ticket = await client.issue();
      await page.goto(ticket.url); // opened as a link: the page asks first
      await page.waitForSelector("[data-state=link]");
      await shot("app-confirm-link", ["此页面不是通过「扫一扫」打开的", "不是我，返回首页"]);
      await page.getByRole("button", { name: "是我本人在电脑上操作，继续" }).click();
      await page.waitForSelector("[data-state=ask]");
      await shot("app-confirm", ["请核对以下电脑的信息，确认是您本人在操作", "张三"]);
      await page.getByRole("button", { name: end }).click();
      await page.waitForSelector("[role=status] h2");
      await shot(name, [sees]);
    }
    const expiring = await client.issue();
    w.clock.advance(121_000);
    await page.goto(expiring.url);
    await page.waitForSelector("[role=status] h2");
    await shot("app-confirm-expired", ["二维码已失效", "请在扣缴客户端刷新二维码后重新扫描"]);
  } finally {
    client.ws.close();
  }
}

async function appRegistration(): Promise<void> {
  await visit("/app/register", "app-register", ["选择注册方式", "请先阅读并同意用户注册协议"]);
  await page.getByLabel("我已阅读并同意《用户注册协议》").check();
  await page.click("details.agreement summary");
  await shot("app-register-agreed", ["您在注册前应仔细阅读本协议"]);

  const idNumber = residentId();
  const code = await hallCode(w, { name: "张\u{20000}", idType: "居民身份证", idNumber });
  await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
  await page.fill("#reg-code", code);
  await page.fill("#reg-name", "张\u{20000}");
  await page.fill("#reg-id-number", idNumber);
  await shot("app-register-hall-code", ["请如实填写身份信息"], {
    "#reg-code": code,
    "#reg-name": "张\u{20000}",
    "#reg-id-number": idNumber,
  });
  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForSelector("#reg-login-name");
  await shot("app-register-account", ["身份已核验：*\u{20000} · 居民身份证", "2-16位字符"]);
  const mobile = phoneNumber();
  await page.fill("#reg-login-name", "1234");
  await page.fill("#reg-password", "abc 12");
  await page.fill("#reg-password-again", "abc");
  await shot("app-register-account-rules", ["（未满足）", "两次输入的密码不一致"]);
  await fillAccount(page, w, { loginName: "zhang_2024", password: "Zhang#2024", phone: mobile });
  await shot("app-register-account-filled", [`验证码已发送至 ${masked(mobile)}`]);
  await page.getByRole("button", { name: "完成注册" }).click();
  await page.waitForSelector("[data-testid=registered]");
  await shot("app-register-done", ["注册成功", "zhang_2024", masked(mobile)]);

  await page.goto(`${w.url}/app/register`);
  await page.getByLabel("我已阅读并同意《用户注册协议》").check();
  await page.getByRole("button", { name: /^人脸识别认证注册/ }).click();
  await page.selectOption("#reg-id-type", "中国护照");
  await shot("app-register-face-passport", [
    "人脸识别认证注册仅支持居民身份证，其他证件请使用大厅注册码注册",
  ]);
  await page.selectOption("#reg-id-type", "居民身份证");
  await page.fill("#reg-name", "孙八");
  await page.fill("#reg-id-number", residentId());
  await shot("app-register-face", ["请如实填写本人居民身份证上的信息", "开始人脸识别"]);
  await page.getByRole("button", { name: "开始人脸识别" }).click();
  await page.waitForSelector(".face[data-camera=on]");
  await shot("app-register-face-camera", ["请垂直握紧手机，正对屏幕，保持光线充足，将面部置于圆框内"]);
  await page.getByRole("button", { name: "拍摄" }).click();
  await page.waitForSelector("[role=alert]");
  await shot("app-register-face-refused", ["人脸识别认证未通过，请重新拍摄或使用大厅注册码注册"]);
}

async function companyPages(): Promise<void> {
  await logIn(people.legalRep);
  await visit("/app/company", "app-company", ["福州示例软件有限公司", TAX_ID, "法定代表人"]);
  await page.locator(`[data-tax-id="${TAX_ID}"] button`).click();
  await page.waitForSelector(".authorizations");
  await shot("app-company-detail", ["授权后，办税人员登录扣缴客户端无需再输入申报密码", "*五", "解除授权"]);
  await page.fill(`#decl-${TAX_ID}-password`, "short");
  await page.fill(`#decl-${TAX_ID}-confirm`, "shorter");
  await shot("app-company-declaration-rules", ["两次输入的申报密码不一致"]);

  await page.goto(`${w.url}/web/company`);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await logInOnForm(page, people.legalRep, "portal-login");
  await page.waitForSelector(`tr[data-tax-id="${TAX_ID}"]`);
  await shot("web-company", ["欧阳娜娜（居民身份证", "福州示例软件有限公司", "查看详情"]);
  await page.getByRole("button", { name: "查看详情" }).click();
  await page.waitForSelector(".authorizations");
  await page.getByRole("button", { name: "解除授权" }).click();
  await shot("web-company-detail", ["*五", "确认解除"]);
  await page.getByRole("button", { name: "退出登录" }).click();
}

async function portalPages(): Promise<void> {
  await visit("/web", "web-home", ["欢迎使用自然人办税服务平台"]);
  await visit("/web/declaration-password", "web-declaration-password", ["谁可以重置", "到办税服务厅重置"]);
  await visit("/web/no-such-page", "web-not-found", ["页面不存在", "返回首页"]);
  await visit("/web/company", "web-company-login", ["法定代表人或财务经理登录后"]);

  await visit("/web/register", "web-register", ["自然人办税服务平台用户注册协议", "同意并继续"]);
  await page.getByRole("button", { name: "同意并继续" }).click();
  await shot("web-register-methods", ["大厅注册码注册", "仅支持居民身份证，请使用个人所得税APP注册"]);
  await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
  await shot("web-register-identity", ["注册码由办税服务厅发放，有效期7天"]);
  await page.getByRole("button", { name: "录入生僻字" }).click();
  await page.waitForSelector(".rare-radical");
  await shot("web-rare-radicals", ["第一步：选择生僻字的偏旁部首"]);
  // 页 → 6画 holds 𫖮 (Ext E); the same radical counted by total strokes (页 has 6 of its own).
  await page.click(`[data-radical="181'"]`);
  await page.click('[data-strokes="6"]');
  await page.click('.rare-chars [title="U+2B5AE"]');
  await fontsLoaded();
  await shot("web-rare-ye-6", ["第二步：部首页（頁）", "不含部首本身的笔画", "已选：\u{2B5AE} U+2B5AE"]);
  await page.getByRole("button", { name: "总笔画数" }).click();
  await page.click('[data-strokes="12"]');
  await fontsLoaded();
  await shot("web-rare-ye-total-12", ["第二步：部首页（頁）", "整个字的笔画，含部首"]);
  await page.getByRole("button", { name: "重选部首" }).click();
  await page.click('[data-radical="1"]');
  // The count chosen stays for the next radical; back to the one the seed describes.
  await page.getByRole("button", { name: "除部首外笔画数" }).click();
  await page.click('[data-strokes="1"]');
  await page.click('.rare-chars [title="U+20000"]');
  await fontsLoaded();
  await shot("web-rare-characters", ["已选：\u{20000} U+20000"]);
  await page.getByRole("button", { name: "确定" }).click();

  const idNumber = residentId();
  const code = await hallCode(w, { name: "\u{20000}", idType: "居民身份证", idNumber });
  await page.fill("#reg-id-number", idNumber);
  await page.fill("#reg-code", code);
  await shot("web-register-identity-filled", ["身份信息"], {
    "#reg-name": "\u{20000}",
    "#reg-id-number": idNumber,
    "#reg-code": code,
  });
  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForSelector("#reg-login-name");
  const mobile = phoneNumber();
  await fillAccount(page, w, { loginName: "rare_2024", password: "Rare#2024x", phone: mobile });
  await chooseRegion(page, "广东省", "广州市", "天河区");
  await shot("web-register-account", [
    "已选：广东省广州市天河区（440106）",
    `验证码已发送至 ${masked(mobile)}`,
  ]);
  await page.getByRole("button", { name: "完成注册" }).click();
  await page.waitForSelector("[data-testid=registered]");
  await shot("web-register-done", ["注册成功", "rare_2024", masked(mobile)]);

  const account = await registered(w, { name: "吴十" });
  await visit("/web/forgot-password", "web-forgot-password", [
    "请填写注册时的身份信息，验证码将发送至您注册的手机号码。",
  ]);
  await page.fill("#fp-name", "吴十");
  await page.fill("#fp-id-number", account.idNumber);
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await page.waitForSelector("#fp-sms");
  await page.fill("#fp-password", "NewPass#2");
  await shot("web-forgot-password-reset", [`验证码已发送至您注册的手机 ${masked(account.phone)}`]);
  await page.fill("#fp-sms", await smsCode(w, account.phone, "reset_password"));
  await page.fill("#fp-password-again", "NewPass#2");
  await page.getByRole("button", { name: "重置密码" }).click();
  await page.waitForSelector("[data-testid=reset-done]");
  await shot("web-forgot-password-done", ["密码重置成功", "如账号曾因密码错误被锁定，现已解除锁定"]);
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
    });
  }
});
