import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import { PNG } from "pngjs";

// The captcha image (issue 15): a PNG raster in which a template matcher finds nothing to match.
// Each character is drawn in one of several typefaces and weights, rotated, sheared, scaled and
// outlined by a random width, then warped by its own wave field, and placed so it runs into its
// neighbours. Arcs of the same ink and a wandering width cross the text, so neither connected
// components nor column projections separate the characters, and opening does not remove the arcs
// without eating thin strokes. Skia (@napi-rs/canvas) rasterises the glyphs, pngjs encodes the PNG;
// the warp, the arcs and the compositing are plain loops over one mask.

export const CAPTCHA_WIDTH = 180;
export const CAPTCHA_HEIGHT = 60;

/** A source of numbers in [0, 1). Production seeds one from the CSPRNG per image. */
export type Rng = () => number;

/** sfc32, seeded with 128 bits: fast, and enough to shape pixels (the text itself is CSPRNG-drawn). */
export function seededRng(seed: readonly number[]): Rng {
  let [a = 0, b = 0, c = 0, d = 1] = seed;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function cryptoRng(): Rng {
  const b = randomBytes(16);
  return seededRng([b.readUInt32LE(0), b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12)]);
}

/** Open typefaces shipped as npm packages, so a host without fonts draws the same image. */
const FONT_FILES = [
  ["@fontsource/roboto/files/roboto-latin-500-normal.woff2", "CaptchaSans"],
  ["@fontsource/roboto/files/roboto-latin-900-normal.woff2", "CaptchaSansBlack"],
  ["@fontsource/roboto-slab/files/roboto-slab-latin-700-normal.woff2", "CaptchaSlab"],
  ["@fontsource/ibm-plex-mono/files/ibm-plex-mono-latin-600-normal.woff2", "CaptchaMono"],
] as const;

const require = createRequire(import.meta.url);
export const CAPTCHA_FONTS: readonly string[] = FONT_FILES.map(([file, family]) => {
  if (!GlobalFonts.register(readFileSync(require.resolve(file)), family)) {
    throw new Error(`captcha font ${file} could not be loaded`);
  }
  return family;
});

type Range = readonly [number, number];

/** The ranges every image draws from. Zero ranges give the clean rendering a template matcher reads. */
export interface CaptchaStyle {
  /** Glyph em size as a share of the image height. */
  size: Range;
  /** Rotation, radians either way. */
  rotate: number;
  /** Horizontal shear either way. */
  shear: number;
  scaleX: Range;
  scaleY: Range;
  /** Outline drawn round each glyph (px): thick or thin strokes. */
  stroke: Range;
  /** Wave warp amplitude and wavelength (px). */
  warp: Range;
  wavelength: Range;
  /** How far a glyph's ink box runs into the previous one's (px); negative leaves a gap. */
  overlap: Range;
  /** Up/down jitter of each glyph's centre (px). */
  jitter: number;
  /** Arcs through the text band, and their wandering width (px). */
  arcs: number;
  arcWidth: Range;
  /** Share of glyphs drawn as an outline only, and that outline's width (px). */
  hollow: number;
  outline: Range;
  /** Thin lines anywhere, like the old svg-captcha noise. */
  lines: number;
  /** Typefaces to choose from. */
  fonts: readonly string[];
}

export const CAPTCHA_STYLE: CaptchaStyle = {
  size: [0.68, 0.82],
  rotate: 0.3,
  shear: 0.2,
  scaleX: [0.82, 1.18],
  scaleY: [0.88, 1.08],
  stroke: [0, 2.2],
  hollow: 0.5,
  outline: [1.6, 2.4],
  warp: [2, 4],
  wavelength: [40, 70],
  overlap: [3, 7],
  jitter: 4,
  arcs: 2,
  arcWidth: [1.5, 3.2],
  lines: 0,
  fonts: CAPTCHA_FONTS,
};

const between = (rng: Rng, [lo, hi]: Range) => lo + (hi - lo) * rng();
const either = (rng: Rng, r: number) => (rng() * 2 - 1) * r;

/** One character's coverage (0–255), cropped to its ink. */
export interface GlyphMask {
  width: number;
  height: number;
  alpha: Uint8Array;
}

const CELL = 96;
const CELLS = 24;
const strip = createCanvas(CELL * CELLS, CELL);
const stripCtx = strip.getContext("2d");

/**
 * Rasterise the characters one per cell and warp each on its own, as the image does: typeface, size,
 * rotation, shear, scale, outline and warp all drawn from `style`. Exported so a solver can build its
 * templates with the very same code. One read-back for all of them (reading pixels is the dear part).
 */
export function renderGlyphs(text: string, style: CaptchaStyle, rng: Rng): GlyphMask[] {
  const chars = [...text];
  if (chars.length > CELLS) throw new Error(`at most ${CELLS} characters`);
  const ctx = stripCtx;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, CELL * chars.length, CELL);
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillStyle = "#000";
  ctx.strokeStyle = "#000";
  ctx.lineJoin = "round";
  chars.forEach((ch, i) => {
    const font = style.fonts[Math.floor(rng() * style.fonts.length)] ?? CAPTCHA_FONTS[0];
    const px = CAPTCHA_HEIGHT * between(rng, style.size);
    const angle = either(rng, style.rotate);
    const shear = either(rng, style.shear);
    const sx = between(rng, style.scaleX);
    const sy = between(rng, style.scaleY);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // rotate · shear · scale, about the cell's centre
    ctx.setTransform(
      cos * sx,
      sin * sx,
      (cos * shear - sin) * sy,
      (sin * shear + cos) * sy,
      CELL * i + CELL / 2,
      CELL / 2,
    );
    ctx.font = `${px.toFixed(1)}px ${font}`;
    if (rng() < style.hollow) {
      ctx.lineWidth = between(rng, style.outline);
      ctx.strokeText(ch, 0, 0);
    } else {
      ctx.fillText(ch, 0, 0);
      const stroke = between(rng, style.stroke);
      if (stroke > 0.2) {
        ctx.lineWidth = stroke;
        ctx.strokeText(ch, 0, 0);
      }
    }
  });
  const src = ctx.getImageData(0, 0, CELL * chars.length, CELL).data;
  const rowBytes = CELL * chars.length * 4;
  return chars.map((_, i) => warp(src, rowBytes, i * CELL, style, rng));
}

/** Each output pixel reads the drawn glyph at a point moved by two crossed waves; cropped to its ink. */
function warp(
  src: Uint8ClampedArray,
  rowBytes: number,
  left: number,
  style: CaptchaStyle,
  rng: Rng,
): GlyphMask {
  const ax = between(rng, style.warp);
  const ay = between(rng, style.warp);
  const kx = (2 * Math.PI) / between(rng, style.wavelength);
  const ky = (2 * Math.PI) / between(rng, style.wavelength);
  const phaseX = rng() * 2 * Math.PI;
  const phaseY = rng() * 2 * Math.PI;
  const dx = new Float32Array(CELL);
  const dy = new Float32Array(CELL);
  for (let k = 0; k < CELL; k++) {
    dx[k] = ax * Math.sin(k * kx + phaseX);
    dy[k] = ay * Math.sin(k * ky + phaseY);
  }
  const out = new Uint8Array(CELL * CELL);
  let minX = CELL;
  let minY = CELL;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < CELL; y++) {
    const shiftX = dx[y] as number;
    for (let x = 0; x < CELL; x++) {
      const fx = x + shiftX;
      const fy = y + (dy[x] as number);
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      if (x0 < 0 || y0 < 0 || x0 >= CELL - 1 || y0 >= CELL - 1) continue;
      const tx = fx - x0;
      const ty = fy - y0;
      const i = y0 * rowBytes + (left + x0) * 4 + 3;
      const a00 = src[i] as number;
      const a01 = src[i + 4] as number;
      const a10 = src[i + rowBytes] as number;
      const a11 = src[i + rowBytes + 4] as number;
      if ((a00 | a01 | a10 | a11) === 0) continue;
      const a = (a00 * (1 - tx) + a01 * tx) * (1 - ty) + (a10 * (1 - tx) + a11 * tx) * ty;
      if (a < 8) continue;
      out[y * CELL + x] = a;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) return { width: 0, height: 0, alpha: new Uint8Array(0) };
  const width = maxX - minX + 1;
  const height = maxY - minY + 1;
  const alpha = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    alpha.set(out.subarray((y + minY) * CELL + minX, (y + minY) * CELL + minX + width), y * width);
  }
  return { width, height, alpha };
}

/** Max-composite an anti-aliased thick segment into the mask. */
function segment(mask: Uint8Array, x1: number, y1: number, x2: number, y2: number, width: number) {
  const W = CAPTCHA_WIDTH;
  const H = CAPTCHA_HEIGHT;
  const r = width / 2;
  const left = Math.max(0, Math.floor(Math.min(x1, x2) - r - 1));
  const right = Math.min(W - 1, Math.ceil(Math.max(x1, x2) + r + 1));
  const top = Math.max(0, Math.floor(Math.min(y1, y2) - r - 1));
  const bottom = Math.min(H - 1, Math.ceil(Math.max(y1, y2) + r + 1));
  const vx = x2 - x1;
  const vy = y2 - y1;
  const len2 = vx * vx + vy * vy || 1;
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      const t = Math.min(1, Math.max(0, ((x - x1) * vx + (y - y1) * vy) / len2));
      const ex = x - (x1 + t * vx);
      const ey = y - (y1 + t * vy);
      const cover = r + 0.5 - Math.sqrt(ex * ex + ey * ey);
      if (cover <= 0) continue;
      const a = cover >= 1 ? 255 : Math.round(cover * 255);
      const j = y * W + x;
      if (a > (mask[j] as number)) mask[j] = a;
    }
  }
}

/** A cubic Bézier through `p` (x0 y0 … x3 y3), drawn in short pieces whose width wanders. */
function curve(mask: Uint8Array, p: readonly number[], width: Range, rng: Rng) {
  const at = (t: number, k: number) => {
    const u = 1 - t;
    const [a, b, c, d] = [p[k], p[2 + k], p[4 + k], p[6 + k]] as number[];
    return (
      u * u * u * (a as number) +
      3 * u * u * t * (b as number) +
      3 * u * t * t * (c as number) +
      t * t * t * (d as number)
    );
  };
  const pieces = 20;
  let w = between(rng, width);
  for (let s = 0; s < pieces; s++) {
    w = Math.min(width[1], Math.max(width[0], w + either(rng, 0.7)));
    segment(mask, at(s / pieces, 0), at(s / pieces, 1), at((s + 1) / pieces, 0), at((s + 1) / pieces, 1), w);
  }
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** The image's coverage mask (0–255 per pixel, text and arcs), before colour. */
function renderMask(text: string, style: CaptchaStyle, rng: Rng): Uint8Array {
  const W = CAPTCHA_WIDTH;
  const H = CAPTCHA_HEIGHT;
  const glyphs = renderGlyphs(text, style, rng);
  const overlaps = glyphs.map((_, i) => (i === 0 ? 0 : between(rng, style.overlap)));
  const total = glyphs.reduce((sum, g, i) => sum + g.width - (overlaps[i] as number), 0);
  const slack = Math.max(0, (W - total) / 2 - 4);
  let x = Math.round((W - total) / 2 + either(rng, slack));
  const mask = new Uint8Array(W * H);
  glyphs.forEach((g, i) => {
    x -= Math.round(overlaps[i] as number);
    const room = Math.max(0, (H - g.height) / 2 - 1);
    const top = Math.round((H - g.height) / 2 + either(rng, Math.min(style.jitter, room)));
    for (let gy = 0; gy < g.height; gy++) {
      const y = top + gy;
      if (y < 0 || y >= H) continue;
      for (let gx = 0; gx < g.width; gx++) {
        const mx = x + gx;
        if (mx < 0 || mx >= W) continue;
        const a = g.alpha[gy * g.width + gx] as number;
        const j = y * W + mx;
        if (a > (mask[j] as number)) mask[j] = a;
      }
    }
    x += g.width;
  });
  for (let a = 0; a < style.arcs; a++) {
    const band = () => H * (0.3 + rng() * 0.4);
    curve(
      mask,
      [0, band(), W * (0.2 + rng() * 0.2), rng() * H, W * (0.6 + rng() * 0.2), rng() * H, W, band()],
      style.arcWidth,
      rng,
    );
  }
  for (let l = 0; l < style.lines; l++) {
    const y = () => rng() * H;
    curve(
      mask,
      [rng() * W * 0.3, y(), rng() * W, y(), rng() * W, y(), W - rng() * W * 0.3, y()],
      [0.8, 1.4],
      rng,
    );
  }
  return mask;
}

/** RGB pixels: light paper with a little speckle, a dark ink whose hue shifts across the image. */
function renderCaptcha(text: string, style: CaptchaStyle, rng: Rng): Buffer {
  const W = CAPTCHA_WIDTH;
  const H = CAPTCHA_HEIGHT;
  const mask = renderMask(text, style, rng);
  const hue = rng() * 360;
  const paper = [hsl(hue + 180, 0.4, 0.95), hsl(hue + 150, 0.35, 0.9)] as const;
  const ink = [hsl(hue, 0.55, 0.27), hsl(hue + either(rng, 60), 0.55, 0.33)] as const;
  const inkDir = rng() - 0.5;
  const rgb = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const tp = (x / W + y / H) / 2;
      const ti = Math.min(1, Math.max(0, x / W + inkDir * (y / H - 0.5)));
      const a = (mask[y * W + x] as number) / 255;
      const o = (y * W + x) * 3;
      for (let c = 0; c < 3; c++) {
        const p = (paper[0][c] as number) * (1 - tp) + (paper[1][c] as number) * tp;
        const k = (ink[0][c] as number) * (1 - ti) + (ink[1][c] as number) * ti;
        rgb[o + c] = p * (1 - a) + k * a;
      }
    }
  }
  for (let d = 0; d < 40; d++) {
    const o = (Math.floor(rng() * H) * W + Math.floor(rng() * W)) * 3;
    for (let c = 0; c < 3; c++) rgb[o + c] = ((rgb[o + c] as number) + (ink[1][c] as number)) / 2;
  }
  return rgb;
}

/** The captcha as a PNG. `rng` is for tests; production seeds a fresh one from the CSPRNG. */
export function drawCaptcha(
  text: string,
  rng: Rng = cryptoRng(),
  style: CaptchaStyle = CAPTCHA_STYLE,
): Buffer {
  const png = new PNG({ width: CAPTCHA_WIDTH, height: CAPTCHA_HEIGHT, colorType: 2, inputHasAlpha: false });
  png.data = renderCaptcha(text, style, rng);
  return PNG.sync.write(png, { colorType: 2, inputHasAlpha: false, filterType: 1 });
}
