import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page, type Worker } from "playwright-core";
import { CHROMIUM_PATH } from "./services";

// Debian's Chromium as it works on these machines (see shared/recipes/browser-tests.md).
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export const EXTENSION_DIR = resolve(".output/chrome-mv3");
export const SCREENSHOT_DIR = resolve("tests/e2e/screenshots");

/** The toolbar popup's size (Chrome sizes popups to their content, up to 800×600). */
export const POPUP_SIZE = { width: 360, height: 520 };

export interface ExtensionBrowser {
  ctx: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** The extension's service worker now (a stopped one is replaced by a new one on the next event). */
  currentWorker(): Promise<Worker>;
  /** The popup, opened in a tab of the popup's size. */
  openPopup(): Promise<Page>;
  /** Stop the extension's service worker as the browser does when it is idle; resolves once stopped. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Real Chromium with the built extension loaded, in a fresh profile removed on close. */
export async function launchWithExtension(
  extraArgs: string[] = [],
  env?: Record<string, string>,
): Promise<ExtensionBrowser> {
  const profile = await mkdtemp(join(tmpdir(), "shiming-e2e-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    ...(env ? { env: { ...process.env, ...env } } : {}),
    args: [
      ...CHROMIUM_FLAGS,
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      ...extraArgs,
    ],
  });
  const worker = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker"));
  const extensionId = new URL(worker.url()).host;
  const isOurs = (w: Worker) => new URL(w.url()).host === extensionId;

  return {
    ctx,
    worker,
    extensionId,
    async currentWorker() {
      return (
        ctx.serviceWorkers().find(isOurs) ?? (await ctx.waitForEvent("serviceworker", { predicate: isOurs }))
      );
    },
    async openPopup() {
      const page = await ctx.newPage();
      await page.setViewportSize(POPUP_SIZE);
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      return page;
    },
    async stopWorker() {
      // DevTools' ServiceWorker domain stops workers exactly like chrome://serviceworker-internals does.
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      const stopped = new Promise<void>((done) => {
        cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
          const ours = versions.filter((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`));
          if (ours.length > 0 && ours.every((v) => v.runningStatus === "stopped")) done();
        });
      });
      await cdp.send("ServiceWorker.enable");
      await cdp.send("ServiceWorker.stopAllWorkers");
      await stopped;
      await cdp.detach();
      await page.close();
    },
    async close() {
      await ctx.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A full-page screenshot under tests/e2e/screenshots/ (gitignored), for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
