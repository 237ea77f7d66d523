import { connect, createServer, type Server, type Socket } from "node:net";
import jsQR from "jsqr";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";
import { expect } from "vitest";
import type { Hub } from "../../server/hub";
import type { HubEvent } from "../../shared/events";
import { type ExtensionBrowser, screenshot } from "../support/browser";

// What the tests of the built extension share: the popups they open, the hub the extension talks to,
// the QR as a phone camera reads it, the hub's own account of what happened (its event stream), and a
// cable between extension and hub that a test can pull out.

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

/** Points the extension at a hub, as its options page would. */
export async function useHub(browser: ExtensionBrowser, url: string): Promise<void> {
  const worker = await browser.currentWorker();
  await worker.evaluate(
    (hubUrl) => (globalThis as unknown as ChromeGlobal).chrome.storage.local.set({ hubUrl }),
    url,
  );
}

/** The hub address the extension keeps. */
export async function storedHubUrl(browser: ExtensionBrowser): Promise<unknown> {
  const worker = await browser.currentWorker();
  const stored = await worker.evaluate(() =>
    (globalThis as unknown as ChromeGlobal).chrome.storage.local.get("hubUrl"),
  );
  return stored.hubUrl;
}

/** The account 记住账号 keeps in the extension's storage (never the password): the whole stored entry. */
export async function storedAccount(browser: ExtensionBrowser): Promise<Record<string, unknown>> {
  const worker = await browser.currentWorker();
  return worker.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome.storage.local.get("account"));
}

/**
 * Moves the worker's clock `ms` on, as if that long had passed (`0` puts it back). The jump comes as
 * it reads its next frame from the hub, so its socket does not take the jump for the hub's silence.
 */
export async function shiftWorkerClock(browser: ExtensionBrowser, ms: number): Promise<void> {
  const worker = await browser.currentWorker();
  await worker.evaluate((by) => {
    const g = globalThis as unknown as { realNow?: () => number };
    const real = g.realNow ?? Date.now.bind(Date);
    g.realNow = real;
    if (by === 0) {
      Date.now = real;
      return;
    }
    let shift = 0;
    Date.now = () => real() + shift;
    const data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data") as PropertyDescriptor;
    Object.defineProperty(MessageEvent.prototype, "data", {
      configurable: true,
      get(this: MessageEvent) {
        shift = by;
        Object.defineProperty(MessageEvent.prototype, "data", data);
        return data.get?.call(this);
      },
    });
  }, ms);
}

/** How far the worker's clock runs ahead of the real one. */
export async function workerClockShift(browser: ExtensionBrowser): Promise<number> {
  const worker = await browser.currentWorker();
  return worker.evaluate(() => {
    const g = globalThis as unknown as { realNow?: () => number };
    return Date.now() - (g.realNow ?? Date.now)();
  });
}

/** The popups a test file opens; `closeAll()` after each test. */
export class Popups {
  private readonly pages: Page[] = [];
  constructor(private readonly browser: ExtensionBrowser) {}

  async open(): Promise<Page> {
    const page = await this.browser.openPopup();
    this.pages.push(page);
    await page.locator(".card").waitFor();
    return page;
  }

  /** A page other than the popup (the options page), closed with the popups. */
  async openPage(path: string): Promise<Page> {
    const page = await this.browser.ctx.newPage();
    this.pages.push(page);
    await page.goto(`chrome-extension://${this.browser.extensionId}/${path}`);
    return page;
  }

  /** The popup at the login, online, even if an earlier test left someone logged in. */
  async atLogin(): Promise<Page> {
    const page = await this.open();
    const out = page.getByRole("button", { name: /^退出(登录)?$/ });
    if (await out.count()) await out.click();
    await page.getByText("账号密码登录").waitFor();
    await online(page);
    return page;
  }

  async closeAll(): Promise<void> {
    for (const p of this.pages.splice(0)) if (!p.isClosed()) await p.close();
  }
}

/** The reconnecting banner is gone: the popup talks to the hub. */
export const online = (page: Page, timeout = 30_000) =>
  page.locator(".banner").waitFor({ state: "detached", timeout });

/** Look, and check the screen fits a toolbar popup: no sideways scroll, at most Chrome's 600px high. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const size = await page.evaluate(() => ({
    w: document.documentElement.scrollWidth,
    h: document.documentElement.scrollHeight,
  }));
  await screenshot(page, name);
  expect(size.w, `${name} is wider than the popup`).toBeLessThanOrEqual(360);
  expect(size.h, `${name} is taller than a popup can be`).toBeLessThanOrEqual(600);
}

/** A QR on screen, as pixels and as the text a phone camera reads off it. */
export async function readQr(
  page: Page,
  selector: string,
): Promise<{ png: Buffer; text: string | undefined }> {
  const png = await page.locator(selector).screenshot();
  const img = PNG.sync.read(png);
  return { png, text: jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data };
}

/** Every event the hub emits from now on (its console's view of what happened). */
export function hubLog(hub: Hub): { of(kind: string): HubEvent[]; stop(): void } {
  const seen: HubEvent[] = [];
  const stop = hub.events.watch((e) => seen.push(e));
  return { of: (kind) => seen.filter((e) => e.kind === kind), stop };
}

/** A network cable between the extension and a hub, that a test pulls out and plugs back in. */
export class Cable {
  private readonly sockets = new Set<Socket>();
  private plugged = true;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async to(hubUrl: string): Promise<Cable> {
    const hub = new URL(hubUrl);
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("the cable did not bind");
    const cable = new Cable(server, `http://127.0.0.1:${address.port}`);
    server.on("connection", (client) => cable.relay(client, connect(Number(hub.port), hub.hostname)));
    return cable;
  }

  private relay(client: Socket, upstream: Socket): void {
    if (!this.plugged) {
      client.destroy();
      upstream.destroy();
      return;
    }
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.pipe(to);
      from.on("error", () => to.destroy());
      from.on("close", () => to.destroy());
    }
    this.sockets.add(client);
    client.on("close", () => this.sockets.delete(client));
  }

  /** Every connection drops at once and new ones are cut as they come. */
  unplug(): void {
    this.plugged = false;
    for (const s of this.sockets) s.destroy();
  }

  plug(): void {
    this.plugged = true;
  }

  async close(): Promise<void> {
    this.unplug();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}
