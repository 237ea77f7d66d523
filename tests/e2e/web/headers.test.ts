import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { screenshot } from "../../support/browser";
import { FakeClient } from "../../support/fake-client";
import { testHub } from "../../support/hub-nodes";
import { launchPhone, type PhoneBrowser } from "../../support/phone-browser";
import { type PagesHub, pagesHub } from "./world";

// The pages under the hub's Content-Security-Policy (scripts and styles only from the hub, no inline
// script), and the event console's page in production: the operator token typed once, sent only in
// headers (Authorization, and Sec-WebSocket-Protocol for the socket), never in a URL.

const OPERATOR_TOKEN = "operator-token-for-e2e-0123456";

let browser: PhoneBrowser;
let page: Page;
const violations: string[] = [];

beforeAll(async () => {
  browser = await launchPhone({ camera: false, viewport: { width: 1000, height: 640 } });
  page = browser.page;
  await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { reportViolation: (v: string) => void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
});
afterAll(async () => {
  await browser?.close();
});

describe("the pages under the CSP", () => {
  let w: PagesHub;
  beforeAll(async () => {
    w = await pagesHub();
  });
  afterAll(() => w?.close());

  it.each([
    ["/app", "登录"],
    ["/app/qr/abcdefghijklmnopqrstuv", "登录"],
    ["/web", "自然人办税服务平台"],
    ["/web/register", "注册"],
    ["/web/forgot-password", "找回密码"],
  ])("%s draws with no policy violation", async (path, text) => {
    violations.length = 0;
    const res = await page.goto(`${w.url}${path}`);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.getByText(text).first().waitFor();
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
  });
});

describe("the event console's page in production", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await testHub({ NODE_ID: "console-prod", NODE_ENV: "production", OPERATOR_TOKEN });
  });
  afterAll(() => hub?.close());

  it("asks for the token, refuses a wrong one, then streams with the right one", async () => {
    violations.length = 0;
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`${hub.url}/dev/events`);
    await page.locator("#auth").waitFor();
    expect(await page.locator("#status").textContent()).toBe("需要操作员令牌");

    await page.fill("#token", "wrong-token-000000000000");
    await page.getByRole("button", { name: "进入" }).click();
    await expect.poll(() => page.locator("#auth-error").textContent()).toBe("令牌不正确");
    await screenshot(page, "events-console-wrong-token");

    await page.fill("#token", OPERATOR_TOKEN);
    await page.getByRole("button", { name: "进入" }).click();
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 15_000 }).toBe("实时");
    expect(await page.locator("#auth").isHidden()).toBe(true);

    const client = await FakeClient.connect(hub.url);
    await page.locator("tr[data-kind='ws.hello']").first().waitFor({ timeout: 15_000 });
    await client.close();
    await screenshot(page, "events-console-production");

    expect(requests.some((u) => u.includes(OPERATOR_TOKEN) || u.includes("token="))).toBe(false);
    expect(page.url()).toBe(`${hub.url}/dev/events`);
    expect(violations).toEqual([]);
  });

  it("keeps the token for the tab: a reload goes straight back to the stream", async () => {
    await page.reload();
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 15_000 }).toBe("实时");
    expect(await page.locator("#auth").isHidden()).toBe(true);
  });
});
