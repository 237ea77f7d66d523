import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";

// Draws the toolbar / store icons at the sizes the stores ask for (Chrome 16/32/48/128, Firefox
// 16/32/48/96/128) into extension/public/icon/<size>.png, where WXT finds them. The mark: the
// popup header's blue, a gold ring (as the header's emblem) and a gold keyhole, for "login".
// Run `npx tsx scripts/icons.ts` after changing it, and commit the PNGs.

export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

type Rgba = [number, number, number, number];
const BLUE: Rgba = [0x1d, 0x5f, 0xc4, 255];
const GOLD: Rgba = [0xff, 0xd3, 0x6b, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** The colour at (x, y) in a 1×1 square (origin top left). */
function paint(x: number, y: number, small: boolean): Rgba {
  const inSquare = roundedSquare(x, y, 0.04, 0.2);
  if (!inSquare) return CLEAR;
  const r = Math.hypot(x - 0.5, y - 0.5);
  // The ring is dropped at 16 px, where it would only blur the keyhole.
  if (!small && r > 0.36 && r < 0.42) return GOLD;
  const head = Math.hypot(x - 0.5, y - 0.42) < (small ? 0.2 : 0.13);
  const w = small ? 0.1 : 0.065;
  const stem = y > 0.42 && y < (small ? 0.82 : 0.72) && Math.abs(x - 0.5) < w + (y - 0.42) * 0.35;
  return head || stem ? GOLD : BLUE;
}

function roundedSquare(x: number, y: number, inset: number, radius: number): boolean {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && Math.hypot(dx, dy) <= radius;
}

/** One icon, each pixel averaged over 4×4 samples so the edges are smooth. */
export function drawIcon(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied sums, so transparent samples do not darken the edge.
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [cr, cg, cb, ca] = paint(
            (px + (sx + 0.5) / n) / size,
            (py + (sy + 0.5) / n) / size,
            size <= 16,
          );
          r += (cr * ca) / 255;
          g += (cg * ca) / 255;
          b += (cb * ca) / 255;
          a += ca;
        }
      }
      const at = (py * size + px) * 4;
      const straight = (v: number) => (a ? Math.round((v * 255) / a) : 0);
      png.data.set([straight(r), straight(g), straight(b), Math.round(a / (n * n))], at);
    }
  }
  return PNG.sync.write(png);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(import.meta.dirname, "..", "extension", "public", "icon");
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(join(dir, `${size}.png`), drawIcon(size));
  console.log(`icons written to ${dir}`);
}
