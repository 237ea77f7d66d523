import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXTENSION_ID } from "../../shared/extension-id";
import { type ExtensionBrowser, launchWithExtension } from "../support/browser";

describe("the built extension in Chromium", () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  afterAll(() => browser.close());

  it("loads with the stable ID its manifest key gives", () => {
    expect(browser.extensionId).toBe(EXTENSION_ID);
  });

  it("opens the popup", async () => {
    const page = await browser.ctx.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await expect.poll(() => page.textContent("body")).toContain("实名登录");
  });
});
