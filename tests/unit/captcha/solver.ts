import { PNG } from "pngjs";
import {
  CAPTCHA_HEIGHT,
  CAPTCHA_WIDTH,
  type CaptchaStyle,
  type GlyphMask,
  renderGlyphs,
  seededRng,
} from "../../../server/captcha/image";
import { CAPTCHA_ALPHABET, CAPTCHA_LENGTH } from "../../../server/captcha/service";

// The attacker of issue 15, as strong as a simple solver gets: templates of every character drawn by
// the captcha's own code (every typeface, a bank of rotations and shears), the image binarised with
// Otsu's threshold, thin lines opened away, characters segmented by connected components and split or
// merged by column projection, each cut scaled to the template size and matched by normalised
// correlation. What beats it must be the image, not the solver's ignorance of the glyphs.

const W = CAPTCHA_WIDTH;
const H = CAPTCHA_HEIGHT;
const N = 20; // templates and cuts are compared at N×N

interface Template {
  ch: string;
  v: Float32Array; // zero-mean, unit-norm
}

/** Scale a binary (0/1) region to N×N by area sampling, then zero-mean / unit-norm it. */
function normalise(get: (x: number, y: number) => number, w: number, h: number): Float32Array {
  const v = new Float32Array(N * N);
  // keep the aspect: fit the longer side, centre the shorter
  const s = Math.max(w, h) / N;
  const ox = (N * s - w) / 2;
  const oy = (N * s - h) / 2;
  for (let ty = 0; ty < N; ty++) {
    for (let tx = 0; tx < N; tx++) {
      let sum = 0;
      let count = 0;
      for (let sy = 0; sy < 2; sy++) {
        for (let sx = 0; sx < 2; sx++) {
          const x = Math.floor((tx + (sx + 0.5) / 2) * s - ox);
          const y = Math.floor((ty + (sy + 0.5) / 2) * s - oy);
          sum += x >= 0 && y >= 0 && x < w && y < h ? get(x, y) : 0;
          count++;
        }
      }
      v[ty * N + tx] = sum / count;
    }
  }
  let mean = 0;
  for (const a of v) mean += a;
  mean /= v.length;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = (v[i] as number) - mean;
    norm += (v[i] as number) ** 2;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  return v;
}

function fromGlyph(g: GlyphMask): Float32Array {
  return normalise((x, y) => ((g.alpha[y * g.width + x] as number) >= 128 ? 1 : 0), g.width, g.height);
}

/** Every character in every typeface, filled and hollow, at each [rotation, shear] given. */
export function buildTemplates(base: CaptchaStyle, tilts: [number, number][]): Template[] {
  const out: Template[] = [];
  const outline = (base.outline[0] + base.outline[1]) / 2;
  // renderGlyphs draws each range's upper end when the source always says (almost) 1: rotation and
  // shear come out as given, the size at 0.75, no scale, no extra stroke, no warp
  const upperEnd = () => 0.9999999;
  for (const font of base.fonts) {
    for (const [rotate, shear] of tilts) {
      for (const hollow of base.hollow > 0 ? [0, 1] : [0]) {
        const style: CaptchaStyle = {
          ...base,
          fonts: [font],
          size: [0.75, 0.75],
          rotate,
          shear,
          scaleX: [1, 1],
          scaleY: [1, 1],
          stroke: [0, 0],
          hollow,
          outline: [outline, outline],
          warp: [0, 0],
        };
        const glyphs = renderGlyphs(CAPTCHA_ALPHABET, style, upperEnd);
        for (const [i, g] of glyphs.entries())
          out.push({ ch: CAPTCHA_ALPHABET[i] as string, v: fromGlyph(g) });
      }
    }
  }
  return out;
}

function otsu(gray: Uint8Array): number {
  const hist = new Array<number>(256).fill(0);
  for (const g of gray) hist[g] = (hist[g] as number) + 1;
  const total = gray.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * (hist[i] as number);
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t] as number;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * (hist[t] as number);
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/** Dark ink → 1. */
function binarise(png: PNG): Uint8Array {
  const gray = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const o = i * 4;
    gray[i] = Math.round(
      0.299 * (png.data[o] as number) +
        0.587 * (png.data[o + 1] as number) +
        0.114 * (png.data[o + 2] as number),
    );
  }
  const t = otsu(gray);
  return gray.map((g) => (g <= t ? 1 : 0));
}

function morph(bin: Uint8Array, r: number, erode: boolean): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = erode ? 1 : 0;
      for (let dy = -r; dy <= r && v === (erode ? 1 : 0); dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          const p = xx >= 0 && yy >= 0 && xx < W && yy < H ? (bin[yy * W + xx] as number) : 0;
          if (erode && p === 0) {
            v = 0;
            break;
          }
          if (!erode && p === 1) {
            v = 1;
            break;
          }
        }
      }
      out[y * W + x] = v;
    }
  }
  return out;
}

interface Box {
  x0: number;
  x1: number;
  area: number;
}

/** 8-connected components; returns a label image and each component's column span and area. */
function components(bin: Uint8Array): { labels: Int32Array; boxes: Box[] } {
  const labels = new Int32Array(W * H).fill(-1);
  const boxes: Box[] = [];
  const stack: number[] = [];
  for (let i = 0; i < W * H; i++) {
    if (bin[i] !== 1 || (labels[i] as number) >= 0) continue;
    const id = boxes.length;
    const box = { x0: W, x1: -1, area: 0 };
    labels[i] = id;
    stack.push(i);
    while (stack.length) {
      const p = stack.pop() as number;
      const x = p % W;
      const y = (p - x) / W;
      box.area++;
      if (x < box.x0) box.x0 = x;
      if (x > box.x1) box.x1 = x;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
          const q = yy * W + xx;
          if (bin[q] === 1 && (labels[q] as number) < 0) {
            labels[q] = id;
            stack.push(q);
          }
        }
      }
    }
    boxes.push(box);
  }
  return { labels, boxes };
}

/** Column spans of the characters: components big enough to be one, split / merged to CAPTCHA_LENGTH. */
function segment(bin: Uint8Array): { spans: [number, number][]; keep: Uint8Array } {
  const { labels, boxes } = components(bin);
  const keep = new Uint8Array(W * H);
  const big = boxes.map((b) => b.area >= 25);
  for (let i = 0; i < W * H; i++) if ((labels[i] as number) >= 0 && big[labels[i] as number]) keep[i] = 1;
  const cols = new Array<number>(W).fill(0);
  for (let i = 0; i < W * H; i++) if (keep[i]) cols[i % W] = (cols[i % W] as number) + 1;
  let spans: [number, number][] = boxes
    .filter((b, i) => big[i] && b.x1 - b.x0 >= 3)
    .map((b): [number, number] => [b.x0, b.x1])
    .sort((a, b) => a[0] - b[0]);
  // merge spans that mostly overlap (a character in pieces)
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1] - Math.min(s[1] - s[0], last[1] - last[0]) / 2)
      last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  spans = merged;
  // too few: split the widest at its projection minimum near the middle
  while (spans.length < CAPTCHA_LENGTH && spans.length > 0) {
    let wi = 0;
    spans.forEach((s, i) => {
      if (s[1] - s[0] > (spans[wi] as [number, number])[1] - (spans[wi] as [number, number])[0]) wi = i;
    });
    const [a, b] = spans[wi] as [number, number];
    const parts = Math.min(CAPTCHA_LENGTH - spans.length + 1, Math.max(2, Math.round((b - a) / 28)));
    const cuts = [a];
    for (let k = 1; k < parts; k++) {
      const guess = a + ((b - a) * k) / parts;
      let best = Math.round(guess);
      for (let x = Math.round(guess - (b - a) / parts / 3); x <= guess + (b - a) / parts / 3; x++) {
        if ((cols[x] ?? 99) < (cols[best] ?? 99)) best = x;
      }
      cuts.push(best);
    }
    cuts.push(b);
    const pieces: [number, number][] = [];
    for (let k = 0; k < parts; k++) pieces.push([cuts[k] as number, cuts[k + 1] as number]);
    spans.splice(wi, 1, ...pieces);
  }
  // too many: merge the narrowest into its nearer neighbour
  while (spans.length > CAPTCHA_LENGTH) {
    let ni = 0;
    spans.forEach((s, i) => {
      if (s[1] - s[0] < (spans[ni] as [number, number])[1] - (spans[ni] as [number, number])[0]) ni = i;
    });
    const s = spans[ni] as [number, number];
    const left = spans[ni - 1];
    const right = spans[ni + 1];
    const toLeft = left && (!right || s[0] - left[1] <= right[0] - s[1]);
    const into = (toLeft ? left : right) as [number, number];
    into[0] = Math.min(into[0], s[0]);
    into[1] = Math.max(into[1], s[1]);
    spans.splice(ni, 1);
  }
  return { spans, keep };
}

function cut(bin: Uint8Array, [a, b]: [number, number]): Float32Array {
  let y0 = H;
  let y1 = -1;
  for (let y = 0; y < H; y++) {
    for (let x = a; x <= b; x++) {
      if (bin[y * W + x]) {
        if (y < y0) y0 = y;
        y1 = y;
        break;
      }
    }
  }
  if (y1 < 0) return new Float32Array(N * N);
  return normalise((x, y) => bin[(y + y0) * W + x + a] as number, b - a + 1, y1 - y0 + 1);
}

export class TemplateSolver {
  /** All templates in one array, N×N after N×N, for a tight correlation loop. */
  private readonly bank: Float32Array;
  private readonly chars: string[];

  constructor(templates: Template[]) {
    this.bank = new Float32Array(templates.length * N * N);
    for (const [i, t] of templates.entries()) this.bank.set(t.v, i * N * N);
    this.chars = templates.map((t) => t.ch);
  }

  /** Every typeface, filled and hollow, upright and at both ends of the style's rotation and shear. */
  static forStyle(style: CaptchaStyle): TemplateSolver {
    const r = style.rotate;
    const s = style.shear;
    const tilts: [number, number][] = [[0, 0]];
    if (r > 0) tilts.push([-r, 0], [r, 0]);
    if (s > 0) tilts.push([0, -s], [0, s]);
    return new TemplateSolver(buildTemplates(style, tilts));
  }

  /** Upright templates only (every typeface, filled and hollow): cheap enough for the sliding matcher. */
  static upright(style: CaptchaStyle): TemplateSolver {
    return new TemplateSolver(buildTemplates(style, [[0, 0]]));
  }

  private best(v: Float32Array): { ch: string; score: number } {
    const { bank } = this;
    let score = -2;
    let best = 0;
    for (let t = 0, o = 0; o < bank.length; t++, o += N * N) {
      let dot = 0;
      for (let i = 0; i < N * N; i++) dot += (v[i] as number) * (bank[o + i] as number);
      if (dot > score) {
        score = dot;
        best = t;
      }
    }
    return { ch: this.chars[best] ?? "?", score };
  }

  /** Read a PNG captcha. */
  read(png: Buffer): string {
    const image = PNG.sync.read(png);
    const bin = binarise(image);
    // opening (erode then dilate, 3×3) drops thin lines and speckle and keeps strokes
    const opened = morph(morph(bin, 1, true), 1, false);
    const { spans, keep } = segment(opened);
    return spans.map((s) => this.best(cut(keep, s)).ch).join("");
  }

  /**
   * No segmentation at all: score every window (x, width) against every template, then pick the
   * CAPTCHA_LENGTH windows left to right (each may run a little into the one before) whose scores
   * add up highest.
   */
  readSliding(png: Buffer): string {
    const bin = binarise(PNG.sync.read(png));
    const opened = morph(morph(bin, 1, true), 1, false);
    const { keep } = segment(opened);
    const cols = new Array<number>(W).fill(0);
    for (let i = 0; i < W * H; i++) if (keep[i]) cols[i % W] = (cols[i % W] as number) + 1;
    const step = 2;
    const widths = [18, 24, 30, 36];
    const windows: { a: number; b: number; ch: string; score: number }[] = [];
    for (let a = 0; a < W; a += step) {
      if (!cols[a] && !cols[a + 1]) continue;
      for (const w of widths) {
        const b = a + w - 1;
        if (b >= W) break;
        windows.push({ a, b, ...this.best(cut(keep, [a, b])) });
      }
    }
    // best chain of CAPTCHA_LENGTH windows: dynamic programming over windows sorted by start
    windows.sort((p, q) => p.a - q.a);
    const overlap = 8;
    let layer = windows.map((w) => ({ score: w.score, text: w.ch, end: w.b }));
    for (let k = 1; k < CAPTCHA_LENGTH; k++) {
      layer = windows.map((w) => {
        let best = { score: -1e9, text: "", end: 0 };
        layer.forEach((prev, j) => {
          const before = windows[j] as { a: number };
          if (
            prev.end - overlap < w.a &&
            before.a < w.a &&
            w.a <= prev.end + 6 &&
            prev.score + w.score > best.score
          ) {
            best = { score: prev.score + w.score, text: prev.text + w.ch, end: w.b };
          }
        });
        return best;
      });
    }
    let top = { score: -1e9, text: "" };
    for (const l of layer) if (l.text.length === CAPTCHA_LENGTH && l.score > top.score) top = l;
    return top.text;
  }
}

/** A fixed-seed source for reproducible test images. */
export const testRng = (seed: number) => seededRng([seed, 0x9e3779b9, seed * 7 + 1, 42]);
