import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { launchPhoneSeeing, type PhoneBrowser } from "../../support/phone-browser";
import { startPagesHub } from "./hub";

// A picture of every page at phone size (390×844) and desktop size (1280×800), for a person to look at.
// tests/e2e/screenshots/ is git-ignored.

const OUT = resolve("tests/e2e/screenshots");
const PAGES = [
  "/app",
  "/app/login",
  "/app/scan",
  "/app/qr/T3stTicket_0123456789abcdef",
  "/app/register",
  "/app/company",
  "/app/download",
  "/web",
  "/web/register",
  "/web/forgot-password",
  "/web/declaration-password",
  "/web/company",
];

let hub: Hub;
let phone: PhoneBrowser;

beforeAll(async () => {
  hub = await startPagesHub();
  await mkdir(OUT, { recursive: true });
  // The camera sees a QR from elsewhere, so the scan screen shows its live view, not a decoded ticket.
  phone = await launchPhoneSeeing("https://example.com/", {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
  });
});
afterAll(async () => {
  await phone?.close();
  await hub?.close();
});

const name = (path: string) =>
  path
    .slice(1)
    .replace(/\/T3st\w+$/, "")
    .replaceAll("/", "-");

describe("screenshots of every page", () => {
  for (const [size, viewport] of [
    ["phone", { width: 390, height: 844 }],
    ["desktop", { width: 1280, height: 800 }],
  ] as const) {
    it(`renders each page at ${size} size`, async () => {
      const page = phone.page;
      await page.setViewportSize(viewport);
      for (const path of PAGES) {
        await page.goto(`${hub.url}${path}`);
        await page.waitForSelector("#app > *");
        if (path === "/app/scan")
          await expect.poll(() => page.getAttribute(".scan", "data-camera")).toBe("on");
        await page.screenshot({ path: `${OUT}/${size}-${name(path)}.png`, fullPage: true });
      }
    });
  }

  it("renders the pickers open", async () => {
    const page = phone.page;
    for (const [size, viewport, path] of [
      ["phone", { width: 390, height: 844 }, "/app/register"],
      ["desktop", { width: 1280, height: 800 }, "/web/register"],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.goto(`${hub.url}${path}`);
      if (path === "/app/register") {
        await page.check("input[type=checkbox]");
      } else {
        await page.getByRole("button", { name: "同意并继续" }).click();
      }
      await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
      await page.getByRole("button", { name: "录入生僻字" }).click();
      await page.waitForSelector(".rare-radical");
      await page.screenshot({ path: `${OUT}/${size}-rare-radicals.png` });
      await page.click('[data-radical="1"]');
      await page.click('[data-strokes="1"]');
      await page.click(".rare-chars button >> nth=0");
      await page.screenshot({ path: `${OUT}/${size}-rare-characters.png` });
      await page.getByRole("button", { name: "确定" }).click();
      if (path === "/web/register") {
        await page.selectOption("#reg-region-province", { label: "广东省" });
        await page.selectOption("#reg-region-city", { label: "广州市" });
        await page.selectOption("#reg-region-county", { label: "天河区" });
      }
      await page.screenshot({ path: `${OUT}/${size}-register-filled.png`, fullPage: true });
    }
  });
});
