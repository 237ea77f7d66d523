import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";

// Does a character draw? On a PC without CJK extension fonts a character draws only if the page shipped
// its glyph: a browser started with latinOnlyFonts() sees no Chinese font at all (fontconfig pointed at
// DejaVu / Liberation alone), and a glyph is judged by its pixels: it must have ink, and must not look
// like the box drawn for a character no font has.

export interface LatinOnlyFonts {
  /** Give these to the browser's environment. */
  env: { FONTCONFIG_FILE: string };
  remove(): Promise<void>;
}

/** A fontconfig that knows Latin fonts only. */
export async function latinOnlyFonts(): Promise<LatinOnlyFonts> {
  const dir = await mkdtemp(join(tmpdir(), "shiming-fonts-"));
  const latin = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"].filter(
    existsSync,
  );
  await writeFile(
    join(dir, "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n${latin
      .map((d) => `  <dir>${d}</dir>`)
      .join("\n")}\n  <cachedir>${dir}/cache</cachedir>\n</fontconfig>\n`,
  );
  return {
    env: { FONTCONFIG_FILE: join(dir, "fonts.conf") },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A code point no font has (unassigned, plane 2): what a missing glyph looks like here. */
export const NO_SUCH_CHAR = "\u{2FB00}";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Shape {
  width: number;
  height: number;
  ink: boolean[];
}

/** Dark pixels of a rectangle (page coordinates) in a screenshot taken at `origin`. */
export function shapeOf(png: PNG, box: Box, origin: { x: number; y: number }): Shape {
  const x0 = Math.round(box.x - origin.x);
  const y0 = Math.round(box.y - origin.y);
  const width = Math.min(Math.round(box.width), png.width - x0);
  const height = Math.min(Math.round(box.height), png.height - y0);
  const ink: boolean[] = [];
  for (let y = y0; y < y0 + height; y++)
    for (let x = x0; x < x0 + width; x++) {
      const i = (png.width * y + x) * 4;
      const lum =
        0.299 * (png.data[i] ?? 255) + 0.587 * (png.data[i + 1] ?? 255) + 0.114 * (png.data[i + 2] ?? 255);
      ink.push(lum < 140);
    }
  return { width, height, ink };
}

export const inkOf = (s: Shape) => s.ink.filter(Boolean).length;
/** Drawn like the missing-glyph box: same size (the fallback's advance) and, give or take a pixel of
 * sub-pixel placement, the same pixels. */
export function likeMissing(s: Shape, missing: Shape): boolean {
  if (Math.abs(s.width - missing.width) > 1 || Math.abs(s.height - missing.height) > 1) return false;
  const at = (m: Shape, x: number, y: number) =>
    x >= 0 && y >= 0 && x < m.width && y < m.height && m.ink[y * m.width + x];
  let best = Number.POSITIVE_INFINITY;
  for (const dx of [-1, 0, 1])
    for (const dy of [-1, 0, 1]) {
      let differ = 0;
      for (let y = 0; y < s.height; y++)
        for (let x = 0; x < s.width; x++) if (at(s, x, y) !== at(missing, x + dx, y + dy)) differ++;
      best = Math.min(best, differ);
    }
  return best <= Math.max(4, inkOf(missing) * 0.25);
}

/** Fonts in use have finished loading (a face starts loading when its first character is laid out). */
export async function waitForFonts(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.fonts].every((f) => f.status !== "loading"), undefined, {
    timeout: 30_000,
  });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** The last character of an element's text: drawn (ink, not the missing-glyph box) on this PC? */
export async function lastCharDraws(page: Page, selector: string): Promise<boolean> {
  await waitForFonts(page);
  const probe = (text: string | null) =>
    page.$eval(
      selector,
      (el, text) => {
        const target = text === null ? el : el.cloneNode(false);
        if (text !== null) {
          target.textContent = text;
          (target as HTMLElement).id = "missing-glyph-probe";
          el.after(target);
        }
        const node = [...target.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).pop();
        if (!node?.textContent) throw new Error("no text");
        const range = document.createRange();
        const last = [...node.textContent].pop() ?? "";
        range.setStart(node, node.textContent.length - last.length);
        range.setEnd(node, node.textContent.length);
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      },
      text,
    );
  const box = await probe(null);
  const missingBox = await probe(NO_SUCH_CHAR);
  await waitForFonts(page);
  const png = PNG.sync.read(await page.screenshot());
  await page.evaluate(() => document.getElementById("missing-glyph-probe")?.remove());
  const shape = shapeOf(png, box, { x: 0, y: 0 });
  return inkOf(shape) >= 3 && !likeMissing(shape, shapeOf(png, missingBox, { x: 0, y: 0 }));
}
