import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_FLAGS } from "../../support/browser";
import { CHROMIUM_PATH } from "../../support/services";
import { type PagesHub, pagesHub } from "./world";

// The 录入生僻字 picker on a PC without CJK extension fonts: this Chromium sees no Chinese font at all
// (fontconfig is pointed at DejaVu alone), so a cell draws only if the pages shipped its glyph. Every
// stroke page of a sample of radicals is rendered and every cell checked by its pixels: it must have
// ink, and it must not look like the box drawn for a character no font has.

let w: PagesHub;
let browser: Browser;
let fontDir: string;

beforeAll(async () => {
  w = await pagesHub();
  fontDir = await mkdtemp(join(tmpdir(), "shiming-fonts-"));
  const latin = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"].filter(
    existsSync,
  );
  await writeFile(
    join(fontDir, "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n${latin
      .map((d) => `  <dir>${d}</dir>`)
      .join("\n")}\n  <cachedir>${fontDir}/cache</cachedir>\n</fontconfig>\n`,
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, FONTCONFIG_FILE: join(fontDir, "fonts.conf") },
  });
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
  if (fontDir) await rm(fontDir, { recursive: true, force: true });
});

/** A code point no font has (unassigned, plane 2): what a missing glyph looks like here. */
const NO_SUCH_CHAR = "\u{2FB00}";

interface Verdict {
  checked: number;
  /** The characters whose cell has no ink or shows the missing-glyph box. */
  bad: string[];
}

interface Cell {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

type Mask = boolean[];

function inkMask(png: PNG, cell: Cell, origin: { x: number; y: number }, inset: number): Mask {
  const mask: Mask = [];
  for (let y = Math.ceil(cell.y - origin.y + inset); y < cell.y - origin.y + cell.height - inset; y++)
    for (let x = Math.ceil(cell.x - origin.x + inset); x < cell.x - origin.x + cell.width - inset; x++) {
      const i = (png.width * y + x) * 4;
      const lum =
        0.299 * (png.data[i] ?? 255) + 0.587 * (png.data[i + 1] ?? 255) + 0.114 * (png.data[i + 2] ?? 255);
      mask.push(lum < 140);
    }
  return mask;
}

const inkOf = (m: Mask) => m.filter(Boolean).length;
const sameShape = (a: Mask, b: Mask) =>
  a.length === b.length && a.filter((v, i) => v !== b[i]).length <= Math.max(4, a.length * 0.01);

/**
 * Scrolls `container` from top to bottom and checks every `cell` in it by pixels. A clone of the first
 * cell showing a character no font has gives the missing-glyph picture to compare with.
 */
async function checkCells(page: Page, container: string, cell: string): Promise<Verdict> {
  await page.evaluate(() => document.fonts.ready.then(() => true));
  const tofuShape = await missingGlyphShape(page, container, cell);
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
    const cells: (Cell & { index: number })[] = await page.$$eval(cell, (els) =>
      els.map((e, index) => {
        const r = e.getBoundingClientRect();
        return {
          index,
          text: e.firstChild?.textContent ?? "",
          x: r.x,
          y: r.y,
          width: r.width,
          height: r.height,
        };
      }),
    );
    const png = PNG.sync.read(
      await page.screenshot({ clip: { x: view.x, y: view.y, width: view.width, height: view.height } }),
    );
    for (const c of cells) {
      if (seen.has(c.index) || c.y < view.y || c.y + c.height > view.y + view.height) continue;
      seen.add(c.index);
      const mask = inkMask(png, c, view, 4);
      if (inkOf(mask) < 6 || (tofuShape && sameShape(mask, tofuShape))) bad.push(c.text);
    }
    const more = await page.$eval(container, (el) => {
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return false;
      el.scrollTop += Math.max(40, el.clientHeight - 60);
      return true;
    });
    if (!more) return { checked: seen.size, bad };
  }
}

/** Fonts in use have finished loading (a face starts loading when its first character is laid out). */
async function waitForFonts(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.fonts].every((f) => f.status !== "loading"), undefined, {
    timeout: 30_000,
  });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

async function missingGlyphShape(page: Page, container: string, cell: string): Promise<Mask | null> {
  const box = await page.evaluate(
    ({ container, cell, text }) => {
      const first = document.querySelector(`${container} ${cell}`) ?? document.querySelector(cell);
      if (!first) return null;
      const probe = first.cloneNode(false) as HTMLElement;
      probe.textContent = text;
      probe.id = "missing-glyph-probe";
      Object.assign(probe.style, { position: "fixed", left: "0px", top: "0px", zIndex: "9999" });
      document.body.append(probe);
      const r = probe.getBoundingClientRect();
      return { text, x: r.x, y: r.y, width: r.width, height: r.height };
    },
    { container, cell, text: NO_SUCH_CHAR },
  );
  if (!box) return null;
  await waitForFonts(page);
  const png = PNG.sync.read(
    await page.screenshot({ clip: { x: 0, y: 0, width: box.width, height: box.height } }),
  );
  await page.evaluate(() => document.getElementById("missing-glyph-probe")?.remove());
  return inkMask(png, box, { x: 0, y: 0 }, 4);
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
async function checkRadical(page: Page, key: string): Promise<Verdict & { pages: number }> {
  await page.click(`[data-radical="${key}"]`);
  await page.waitForSelector(".rare-strokes [data-strokes]");
  let pages = 0;
  const all: Verdict = { checked: 0, bad: [] };
  for (const mode of ["除部首外笔画数", "总笔画数"]) {
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
    expect(v.checked).toBeGreaterThan(250);
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

    const sample = { 土: "32", 页: "181'", 一: "1", 纟: "120'", 龙: "212'" };
    for (const [char, key] of Object.entries(sample)) {
      const v = await checkRadical(page, key);
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
    expect(v.checked).toBeGreaterThan(150);
    expect(v.bad.length).toBe(v.checked);
    await ctx.close();
  });
});
