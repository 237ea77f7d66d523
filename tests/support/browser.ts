import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Worker } from "playwright-core";
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

export interface ExtensionBrowser {
  ctx: BrowserContext;
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

/** Real Chromium with the built extension loaded, in a fresh profile removed on close. */
export async function launchWithExtension(extraArgs: string[] = []): Promise<ExtensionBrowser> {
  const profile = await mkdtemp(join(tmpdir(), "shiming-e2e-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_FLAGS,
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      ...extraArgs,
    ],
  });
  const worker = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker"));
  const extensionId = new URL(worker.url()).host;
  return {
    ctx,
    worker,
    extensionId,
    async close() {
      await ctx.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
