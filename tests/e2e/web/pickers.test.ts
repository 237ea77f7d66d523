import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchPhone, type PhoneBrowser } from "../../support/phone-browser";
import { chooseRegion, hallCode, type PagesHub, pagesHub, residentId } from "./world";

// The two pickers the registration forms share: 录入生僻字 and 户籍所在地, in the portal (desktop) and in
// the phone app. Both load their data only when they are first shown.

let w: PagesHub;
let browser: PhoneBrowser;
let requested: string[];

beforeAll(async () => {
  w = await pagesHub();
  browser = await launchPhone({ camera: false });
  browser.ctx.on("request", (r) => requested.push(new URL(r.url()).pathname));
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const loadedChunk = (name: string) => requested.some((p) => p.startsWith(`/static/assets/${name}-`));

async function openPortalForm(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${w.url}/web/register`);
  await page.getByRole("button", { name: "同意并继续" }).click();
  await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
}

/** Through the identity step (a hall code of its own) to the account step, where 户籍所在地 is asked. */
async function openAccountStep(page: Page): Promise<void> {
  const idNumber = residentId();
  const code = await hallCode(w, { name: "刘一", idType: "居民身份证", idNumber });
  await openPortalForm(page);
  await page.fill("#reg-name", "刘一");
  await page.fill("#reg-id-number", idNumber);
  await page.fill("#reg-code", code);
  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForSelector("#reg-region-province");
}

/** 录入生僻字 → 一 → 1画 → 𠀀 → 确定, with the caret right after the first character typed. */
async function insertRareIntoName(page: Page, typed: string): Promise<void> {
  const name = page.locator("#reg-name");
  await name.fill(typed);
  await name.press("Home");
  await name.press("ArrowRight");
  await page.getByRole("button", { name: "录入生僻字" }).click();
  await page.click('[data-radical="1"]');
  await page.click('[data-strokes="1"]');
  await page.click('.rare-chars [title="U+20000"]');
  await expect.poll(() => page.textContent(".rare-chosen")).toContain("U+20000");
  await page.getByRole("button", { name: "确定" }).click();
}

describe("the rare-character picker", () => {
  it("inserts 𠀀 (U+20000, radical 一, 1 residual stroke) at the caret of the portal's name field", async () => {
    const { page } = browser;
    requested = [];
    await openPortalForm(page);
    expect(loadedChunk("rare")).toBe(false);

    await insertRareIntoName(page, "张三");

    expect(loadedChunk("rare")).toBe(true);
    expect(await page.inputValue("#reg-name")).toBe("张\u{20000}三");
    expect(await page.$(".rare-picker")).toBeNull();
    // The caret sits after the inserted character (two UTF-16 units), ready for the next one.
    expect(await page.$eval("#reg-name", (el) => (el as HTMLInputElement).selectionStart)).toBe(3);
  });

  it("works in the phone app's registration too", async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${w.url}/app/register`);
    await page.check("input[type=checkbox]");
    await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
    await insertRareIntoName(page, "李");
    expect(await page.inputValue("#reg-name")).toBe("李\u{20000}");
  });

  it("shows a variant radical beside its Kangxi form and finds simplified characters under it", async () => {
    const { page } = browser;
    await openPortalForm(page);
    await page.getByRole("button", { name: "录入生僻字" }).click();
    const variant = page.locator(`[data-radical="120'"]`);
    expect(await variant.textContent()).toBe("纟糸");
    expect(await variant.evaluate((el) => el.closest("section")?.getAttribute("aria-label"))).toBe("3画部首");
    await variant.click();
    await page.click('[data-strokes="3"]');
    expect(await page.locator(".rare-chars").textContent()).toContain("红");
  });
});

describe("the lazily loaded data", () => {
  it("comes gzipped and may be cached for good", async () => {
    const chunks = requested.filter((p) => /^\/static\/assets\/(rare|regions-data)-/.test(p));
    expect(chunks.length).toBeGreaterThan(0);
    for (const path of new Set(chunks)) {
      const res = await fetch(`${w.url}${path}`, { headers: { "accept-encoding": "gzip" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-encoding")).toBe("gzip");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      await res.arrayBuffer();
    }
  });
});

describe("the household registration place picker", () => {
  it("chooses 北京市 → 市辖区 → 东城区, the one city of a province-level city chosen for the person", async () => {
    const { page } = browser;
    requested = [];
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${w.url}/web`);
    expect(loadedChunk("regions-data")).toBe(false);
    await openAccountStep(page);
    await page.selectOption("#reg-region-province", { label: "北京市" });
    expect(loadedChunk("regions-data")).toBe(true);
    expect(
      await page.$eval("#reg-region-city", (el) => (el as HTMLSelectElement).selectedOptions[0]?.text),
    ).toBe("市辖区");
    await page.selectOption("#reg-region-county", { label: "东城区" });
    expect(await page.textContent("[data-testid=region-summary]")).toBe("已选：北京市东城区（110101）");
  });

  it("chooses 广东省 → 广州市 → 天河区", async () => {
    const { page } = browser;
    await openAccountStep(page);
    await chooseRegion(page, "广东省", "广州市", "天河区");
    expect(await page.textContent("[data-testid=region-summary]")).toBe("已选：广东省广州市天河区（440106）");
  });

  it("clears the city and county when the province changes", async () => {
    const { page } = browser;
    await openAccountStep(page);
    await chooseRegion(page, "广东省", "广州市", "天河区");
    await page.selectOption("#reg-region-province", { label: "重庆市" });
    const cities = await page.$$eval("#reg-region-city option", (os) => os.map((o) => o.textContent));
    expect(cities).toEqual(["请选择市", "市辖区", "县"]);
    expect(await page.inputValue("#reg-region-county")).toBe("");
    expect(await page.textContent("[data-testid=region-summary]")).toBe("");
  });
});
