import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { GECKO_ID } from "../../shared/extension-id";
import { POPUP_SIZE, SCREENSHOT_DIR } from "./browser";

// Firefox ESR with the built add-on, driven over WebDriver BiDi by puppeteer-core (see
// shared/recipes/firefox.md): playwright-core cannot launch stock Firefox and Debian has no geckodriver.

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
export const FIREFOX_EXTENSION_DIR = resolve(".output/firefox-mv2");

/** The add-on's UUID the tests pin (as a fleet's enterprise policy would), so its origin is known. */
export const FIREFOX_UUID = "0b7d3c2e-5a61-4c7e-9f3a-2d1e8b6a4c10";
export const FIREFOX_ORIGIN = `moz-extension://${FIREFOX_UUID}`;

type StorageGlobal = { browser: { storage: { local: { set(v: Record<string, unknown>): Promise<void> } } } };

export interface FirefoxAddon {
  browser: Browser;
  /** The popup, opened in a tab of the popup's size. */
  openPopup(): Promise<Page>;
  /** What the options page stores: the hub the add-on connects to. */
  setHubUrl(url: string): Promise<void>;
  close(): Promise<void>;
}

/** Headless Firefox ESR (a fresh profile, removed on close) with the built add-on installed. */
export async function launchFirefoxWithAddon(uuid = FIREFOX_UUID): Promise<FirefoxAddon> {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    // Without it BiDi refuses to drive moz-extension:// pages.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: { "extensions.webextensions.uuids": JSON.stringify({ [GECKO_ID]: uuid }) },
  });
  try {
    const id = await browser.installExtension(FIREFOX_EXTENSION_DIR);
    if (id !== GECKO_ID) throw new Error(`installed add-on ${id}, expected ${GECKO_ID}`);
  } catch (err) {
    await browser.close();
    throw err;
  }

  const open = async (): Promise<Page> => {
    const page = await browser.newPage();
    await page.setViewport(POPUP_SIZE);
    // The page loads, but Firefox never reports the navigation of a moz-extension:// page as done.
    await page.goto(`moz-extension://${uuid}/popup.html`, { timeout: 1_500 }).catch(() => {});
    await page.waitForSelector(".card", { timeout: 30_000 });
    return page;
  };

  return {
    browser,
    openPopup: open,
    async setHubUrl(url) {
      const page = await open();
      await page.evaluate(
        (hubUrl) => (globalThis as unknown as StorageGlobal).browser.storage.local.set({ hubUrl }),
        url,
      );
      await page.close();
    },
    close: () => browser.close(),
  };
}

/** Waits until an element whose own text is exactly `text` (or contains it, when a RegExp) shows. */
export async function waitForText(page: Page, text: string | RegExp, timeout = 30_000): Promise<void> {
  const source = typeof text === "string" ? { exact: text } : { pattern: text.source };
  await page.waitForFunction(
    ({ exact, pattern }: { exact?: string; pattern?: string }) =>
      [...document.querySelectorAll<HTMLElement>("body *")].some((el) => {
        if (el.offsetParent === null && el.tagName !== "BODY") return false;
        const t = el.textContent?.trim() ?? "";
        return exact !== undefined ? t === exact : new RegExp(pattern ?? "").test(t);
      }),
    { timeout },
    source,
  );
}

/** Clicks the visible button whose text or aria-label is `name`. */
export async function clickButton(page: Page, name: string): Promise<void> {
  const handle = await page.waitForFunction(
    (n: string) =>
      [...document.querySelectorAll<HTMLButtonElement>("button")].find(
        (b) => b.offsetParent !== null && !b.disabled && (b.textContent?.trim() === n || b.ariaLabel === n),
      ),
    { timeout: 30_000 },
    name,
  );
  await (handle as unknown as { click(): Promise<void> }).click();
}

/** Replaces an input's text as a person would (Ctrl+A, Backspace, type: triple-click does not select). */
export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  const input = await page.waitForSelector(selector, { visible: true, timeout: 30_000 });
  if (!input) throw new Error(`no ${selector}`);
  await input.click();
  await page.keyboard.down("Control");
  await page.keyboard.press("KeyA");
  await page.keyboard.up("Control");
  await page.keyboard.press("Backspace");
  await input.type(text);
}

/** The text a phone's camera would read off the QR drawn in `selector`. */
export async function readQrIn(page: Page, selector: string): Promise<string | undefined> {
  const el = await page.waitForSelector(selector, { visible: true, timeout: 30_000 });
  if (!el) return undefined;
  const png = PNG.sync.read(Buffer.from(await el.screenshot({ type: "png" })));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/** A screenshot under tests/e2e/screenshots/ (gitignored), for a person to look at. */
export async function firefoxScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(join(SCREENSHOT_DIR, "firefox"), { recursive: true });
  const path = join(SCREENSHOT_DIR, "firefox", `${name}.png`);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}
