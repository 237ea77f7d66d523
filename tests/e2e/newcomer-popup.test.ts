import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NAME_GLYPHS_PATH } from "../../shared/api/client-glyphs";
import { type ExtensionBrowser, launchWithExtension, screenshot } from "../support/browser";
import { type LatinOnlyFonts, lastCharDraws, latinOnlyFonts, waitForFonts } from "../support/glyph-pixels";
import { freePort } from "../support/hub-nodes";
import { online, Popups, shot, storedHubUrl, useHub } from "./popup";
import { type PagesHub, pagesHub, registered } from "./web/world";

// The popup as a newcomer meets it, in Chromium with the built extension: no hub at the address the
// extension has; and, on a PC without CJK extension fonts (fontconfig sees Latin fonts only), a person
// whose name holds a character no font there has (𫖮, U+2B5AE).

let w: PagesHub;
beforeAll(async () => {
  w = await pagesHub();
});
afterAll(() => w?.close());

/** Chromium with the built extension (and these fonts), its popups closed after each test. */
function extensionBrowser(fonts?: () => LatinOnlyFonts): { browser: ExtensionBrowser; popups: Popups } {
  const it = {} as { browser: ExtensionBrowser; popups: Popups };
  beforeAll(async () => {
    it.browser = await launchWithExtension([], fonts?.().env);
    it.popups = new Popups(it.browser);
  });
  afterEach(() => it.popups.closeAll());
  afterAll(() => it.browser?.close());
  return it;
}

/** Password login in the popup; the test hub's captcha always reads the same. */
async function logIn(page: Page, account: string, password: string): Promise<void> {
  await page.getByLabel("账号", { exact: true }).fill(account);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

describe("the popup with no hub at its address", () => {
  const x = extensionBrowser();
  it("says it is reconnecting to which 服务地址, and 设置服务地址 opens the options page to change it", async () => {
    // Nobody listens there (the default 127.0.0.1:8080 may be taken on a shared machine).
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    await useHub(x.browser, nowhere);
    const page = await x.popups.open();
    const banner = page.getByRole("status").filter({ hasText: "网络连接中断，正在重连…" });
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain(`服务地址：${nowhere}`);
    await shot(page, "newcomer/01-no-hub");

    const opened = x.browser.ctx.waitForEvent("page");
    await banner.getByRole("button", { name: "设置服务地址" }).click();
    const options = await opened;
    await options.waitForLoadState();
    expect(options.url()).toBe(`chrome-extension://${x.browser.extensionId}/options.html`);
    const field = options.getByLabel("服务地址");
    await expect.poll(() => field.inputValue()).toBe(nowhere);
    await options.setViewportSize({ width: 720, height: 420 });
    await screenshot(options, "newcomer/02-options-from-popup");

    // The newcomer types the hub's real address and saves: the popup connects.
    await field.fill(w.url);
    await options.getByRole("button", { name: "保存" }).click();
    await options.getByText("已保存").waitFor();
    await options.close();
    expect(await storedHubUrl(x.browser)).toBe(w.url);
    await online(page);
    await page.getByText("账号密码登录").waitFor();

    // As this PC's own Chinese fonts draw it, with the hub's glyph for what they lack.
    const person = await registered(w, { name: "王𫖮" });
    await logIn(page, person.loginName, person.password);
    await page.locator(".who").waitFor();
    expect(await page.locator(".who").textContent()).toBe("办税人员：王𫖮");
    await waitForFonts(page);
    await shot(page, "newcomer/03-rare-name-system-fonts");
    await page.getByRole("button", { name: /^退出(登录)?$/ }).click();
  });
});

describe("a person whose name has a rare character, in the popup", () => {
  let fonts: LatinOnlyFonts;
  beforeAll(async () => {
    fonts = await latinOnlyFonts();
  });
  afterAll(() => fonts?.remove());
  const x = extensionBrowser(() => fonts);
  it("draws 𫖮 of 王𫖮 in the company step's 办税人员, with a glyph file from the hub", async () => {
    await useHub(x.browser, w.url);
    const person = await registered(w, { name: "王𫖮" });
    const page = await x.popups.open();
    const glyphs: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes(NAME_GLYPHS_PATH) || r.url().endsWith(".woff2")) glyphs.push(r.url());
    });
    await online(page);
    await logIn(page, person.loginName, person.password);
    const who = page.locator(".who");
    await who.waitFor();
    expect(await who.textContent()).toBe("办税人员：王𫖮");
    await who.evaluate((el) => el.setAttribute("data-testid", "who"));
    await waitForFonts(page);
    await expect.poll(() => lastCharDraws(page, "[data-testid=who]"), { timeout: 30_000 }).toBe(true);
    // One file of the hub's name glyphs (its slice, U+2B500–2B5FF), not the tens of MB of them all.
    expect(glyphs.filter((u) => u.endsWith(".woff2"))).toEqual([
      expect.stringMatching(new RegExp(`^${w.url}/static/assets/rare/n2b5\\.[0-9a-f]+\\.woff2$`)),
    ]);
    await shot(page, "newcomer/04-rare-name-latin-fonts-only");

    // The check can fail: the same text in the system's fonts only is a blank box here.
    await page.evaluate(() => {
      const probe = document.createElement("p");
      probe.id = "system-fonts-only";
      probe.style.fontFamily = "sans-serif";
      probe.textContent = "王𫖮";
      document.querySelector(".who")?.after(probe);
    });
    expect(await lastCharDraws(page, "#system-fonts-only")).toBe(false);
  });
});
