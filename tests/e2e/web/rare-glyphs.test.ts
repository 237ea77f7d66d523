import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_FLAGS } from "../../support/browser";
import { FakeClient } from "../../support/fake-client";
import {
  type Box,
  inkOf,
  type LatinOnlyFonts,
  lastCharDraws,
  latinOnlyFonts,
  likeMissing,
  NO_SUCH_CHAR,
  type Shape,
  shapeOf,
  waitForFonts,
} from "../../support/glyph-pixels";
import { CHROMIUM_PATH } from "../../support/services";
import { logInOnForm, type PagesHub, pagesHub, registered } from "./world";

// The 录入生僻字 picker on a PC without CJK extension fonts: this Chromium sees no Chinese font at all
// (fontconfig is pointed at DejaVu alone), so a cell draws only if the pages shipped its glyph. Every
// stroke page of a sample of radicals is rendered and every cell checked by its pixels: it must have
// ink, and it must not look like the box drawn for a character no font has.

let w: PagesHub;
let browser: Browser;
let fonts: LatinOnlyFonts;

beforeAll(async () => {
  w = await pagesHub();
  fonts = await latinOnlyFonts();
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, ...fonts.env },
  });
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
  await fonts?.remove();
});

interface Verdict {
  checked: number;
  /** The characters whose cell has no ink or shows the missing-glyph box. */
  bad: string[];
}

/** The box of each element's own first character (not of a label beside it), in viewport pixels. */
function glyphBoxes(page: Page, selector: string): Promise<(Box & { text: string })[]> {
  return page.$$eval(selector, (els) =>
    els.map((e) => {
      const node = e.firstChild;
      const range = document.createRange();
      if (node) range.selectNodeContents(node);
      const r = node ? range.getBoundingClientRect() : e.getBoundingClientRect();
      return { text: node?.textContent ?? "", x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

/**
 * Scrolls `container` from top to bottom and checks every `cell` in it by pixels. A copy of the first
 * cell showing a character no font has gives the missing-glyph picture to compare with.
 */
async function checkCells(page: Page, container: string, cell: string): Promise<Verdict> {
  await waitForFonts(page);
  const missing = await missingGlyphShape(page, cell);
  const seen = new Set<number>();
  const bad: string[] = [];
  await page.$eval(container, (el) => {
    el.scrollTop = 0;
  });
  for (;;) {
    await waitForFonts(page);
    const view = await page.$eval(container, (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: el.clientWidth, height: el.clientHeight };
    });
    const boxes = await glyphBoxes(page, cell);
    const png = PNG.sync.read(await page.screenshot({ clip: view }));
    boxes.forEach((box, index) => {
      if (seen.has(index) || box.y < view.y || box.y + box.height > view.y + view.height) return;
      seen.add(index);
      const shape = shapeOf(png, box, view);
      if (inkOf(shape) < 3 || likeMissing(shape, missing)) bad.push(box.text);
    });
    const more = await page.$eval(container, (el) => {
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return false;
      el.scrollTop += Math.max(40, el.clientHeight - 60);
      return true;
    });
    if (!more) return { checked: seen.size, bad };
  }
}

/** A copy of the first cell, put before it, showing NO_SUCH_CHAR: its glyph box as drawn here. */
async function missingGlyphShape(page: Page, cell: string): Promise<Shape> {
  await page.evaluate(
    ({ cell, text }) => {
      const first = document.querySelector(cell);
      if (!first) throw new Error(`no ${cell}`);
      const probe = first.cloneNode(false) as HTMLElement;
      probe.textContent = text;
      probe.id = "missing-glyph-probe";
      first.before(probe);
      probe.scrollIntoView({ block: "nearest" });
    },
    { cell, text: NO_SUCH_CHAR },
  );
  await waitForFonts(page);
  const [box] = await glyphBoxes(page, "#missing-glyph-probe");
  if (!box) throw new Error("no probe");
  const png = PNG.sync.read(await page.screenshot());
  await page.evaluate(() => document.getElementById("missing-glyph-probe")?.remove());
  const shape = shapeOf(png, box, { x: 0, y: 0 });
  expect(inkOf(shape), "the missing-glyph box").toBeGreaterThan(0);
  return shape;
}

async function openPicker(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${w.url}/web/register`);
  await page.getByRole("button", { name: "同意并继续" }).click();
  await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
  await page.getByRole("button", { name: "录入生僻字" }).click();
  await page.waitForSelector(".rare-radical");
  return page;
}

/** Every stroke page of the radical, in both counts; returns what was checked and found blank. */
async function checkRadical(
  page: Page,
  key: string,
  modes = ["除部首外笔画数", "总笔画数"],
): Promise<Verdict & { pages: number }> {
  await page.click(`[data-radical="${key}"]`);
  await page.waitForSelector(".rare-strokes [data-strokes]");
  let pages = 0;
  const all: Verdict = { checked: 0, bad: [] };
  for (const mode of modes) {
    await page.getByRole("button", { name: mode, exact: true }).click();
    const counts = await page.$$eval(".rare-strokes [data-strokes]", (els) =>
      els.map((e) => e.getAttribute("data-strokes")),
    );
    for (const n of counts) {
      await page.click(`.rare-strokes [data-strokes="${n}"]`);
      const v = await checkCells(page, ".rare-chars", ".rare-chars button");
      all.checked += v.checked;
      all.bad.push(...v.bad);
      pages++;
    }
  }
  await page.getByRole("button", { name: "重选部首" }).click();
  return { ...all, pages };
}

describe("the rare-character picker on a PC without CJK extension fonts", () => {
  it("draws every radical button", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await openPicker(ctx);
    const v = await checkCells(page, ".rare-radicals", ".rare-radical");
    expect(v.checked).toBe(await page.locator(".rare-radical").count());
    expect(v.checked).toBeGreaterThan(240);
    expect(v.bad).toEqual([]);
    await ctx.close();
  });

  it("draws every cell of every page of 土, 页, 一, 纟 and 龙, and fetches only the fonts of the page shown", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const fonts: string[] = [];
    ctx.on("request", (r) => r.url().endsWith(".woff2") && fonts.push(new URL(r.url()).pathname));
    const page = await openPicker(ctx);

    // 页 → 6画 holds 𫖮 (U+2B5AE, Ext E), a blank box before the pages shipped glyphs.
    await page.click(`[data-radical="181'"]`);
    await page.waitForSelector(".rare-chars button");
    await waitForFonts(page);
    fonts.length = 0;
    await page.click('.rare-strokes [data-strokes="6"]');
    await expect.poll(() => page.locator('.rare-chars [title="U+2B5AE"]').count()).toBe(1);
    const six = await checkCells(page, ".rare-chars", ".rare-chars button");
    expect(six.checked).toBeGreaterThan(10);
    expect(six.bad).toEqual([]);
    // Only this page's files (one per source font it draws from), never the radical's other pages.
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.length).toBeLessThanOrEqual(3);
    for (const f of fonts) expect(f).toMatch(/\/static\/assets\/rare\/p\d+-6\.[0-9a-f]+\.woff2$/);
    await page.getByRole("button", { name: "重选部首" }).click();

    // Both counts for 页; the residual pages (the ones the font files are cut by) for the others.
    const residual = ["除部首外笔画数"];
    const sample: [string, string, string[]?][] = [
      ["土", "32", residual],
      ["页", "181'"],
      ["一", "1", residual],
      ["纟", "120'", residual],
      ["龙", "212'", residual],
    ];
    for (const [char, key, modes] of sample) {
      const v = await checkRadical(page, key, modes);
      expect(v.pages, char).toBeGreaterThan(3);
      expect(v.bad, `${char}: blank cells`).toEqual([]);
    }
    await ctx.close();
  }, 600_000);

  it("would see the blank cells if the page's font did not come (the check can fail)", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Neither the page's own files nor the name slices (which --font-rare falls back to).
    await ctx.route(/\/rare\/(p\d+-8|n[0-9a-f]+)\.[0-9a-f]+\.woff2$/, (r) => r.abort());
    const page = await openPicker(ctx);
    await page.click('[data-radical="32"]');
    await page.click('.rare-strokes [data-strokes="8"]');
    const v = await checkCells(page, ".rare-chars", ".rare-chars button");
    await page.screenshot({ path: "/tmp/glyphs-neg.png" });
    expect(v.checked).toBeGreaterThan(150);
    expect(v.bad.length).toBe(v.checked);
    await ctx.close();
  });
});

describe("a name with a rare character on the phone pages, on a PC without CJK extension fonts", () => {
  it("draws 𫖮 in 您好，王𫖮 and on the confirm page's 登录账号", async () => {
    const person = await registered(w, { name: "王𫖮" });
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
    const page = await ctx.newPage();
    await page.goto(`${w.url}/app/login`);
    await logInOnForm(page, person);
    await page.waitForURL((u) => !u.pathname.startsWith("/app/login"));
    await page.waitForSelector("[data-testid=who]");
    expect(await page.textContent("[data-testid=who]")).toContain("王𫖮");
    expect(await lastCharDraws(page, "[data-testid=who]")).toBe(true);

    const client = await FakeClient.connect(w.url, { label: "扣缴客户端" });
    try {
      const ticket = await client.issue();
      await page.goto(ticket.url); // opened as a link: who asks is shown before anything is sent
      await page.waitForSelector("[data-state=link]");
      const account = page
        .locator(".facts dt", { hasText: "登录账号" })
        .locator("xpath=following-sibling::dd[1]");
      expect(await account.textContent()).toBe("王𫖮");
      await account.evaluate((el) => el.setAttribute("data-testid", "asker-name"));
      expect(await lastCharDraws(page, "[data-testid=asker-name]")).toBe(true);
    } finally {
      client.ws.close();
      await ctx.close();
    }
  });
});
