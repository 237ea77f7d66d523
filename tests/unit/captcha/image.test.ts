import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import {
  CAPTCHA_FONTS,
  CAPTCHA_HEIGHT,
  CAPTCHA_STYLE,
  CAPTCHA_WIDTH,
  drawCaptcha,
  renderGlyphs,
} from "../../../server/captcha/image";
import { CAPTCHA_ALPHABET } from "../../../server/captcha/service";
import { testRng } from "./solver";

const upright = { ...CAPTCHA_STYLE, rotate: 0, shear: 0, warp: [0, 0], hollow: 0, stroke: [0, 0] } as const;

describe("captcha image", () => {
  it("draws every character of the alphabet in every typeface it ships (no host font needed)", () => {
    const shapes = new Map<string, string>();
    for (const font of CAPTCHA_FONTS) {
      const glyphs = renderGlyphs(CAPTCHA_ALPHABET, { ...upright, fonts: [font] }, testRng(1));
      for (const [i, g] of glyphs.entries()) {
        expect(g.height, `${CAPTCHA_ALPHABET[i]} in ${font}`).toBeGreaterThan(CAPTCHA_HEIGHT * 0.35);
        expect(g.width).toBeGreaterThan(4);
      }
      shapes.set(font, glyphs.map((g) => Buffer.from(g.alpha).toString("base64")).join());
    }
    // four typefaces, four different sets of shapes: none fell back to the same host font
    expect(new Set(shapes.values()).size).toBe(CAPTCHA_FONTS.length);
  });

  it("is a 180×60 PNG with dark ink on light paper, about 10 KB", () => {
    const png = drawCaptcha("AC7K", testRng(2));
    expect(png.length).toBeLessThan(20_000);
    const image = PNG.sync.read(png);
    expect([image.width, image.height]).toEqual([CAPTCHA_WIDTH, CAPTCHA_HEIGHT]);
    let dark = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      const luma =
        0.299 * (image.data[i] ?? 0) + 0.587 * (image.data[i + 1] ?? 0) + 0.114 * (image.data[i + 2] ?? 0);
      if (luma < 110) dark++;
    }
    // ink covers a real share of the picture, paper most of it
    expect(dark / (CAPTCHA_WIDTH * CAPTCHA_HEIGHT)).toBeGreaterThan(0.08);
    expect(dark / (CAPTCHA_WIDTH * CAPTCHA_HEIGHT)).toBeLessThan(0.45);
  });

  it("draws the same text differently every time, and the same way for the same seed", () => {
    expect(drawCaptcha("AC7K").equals(drawCaptcha("AC7K"))).toBe(false);
    expect(drawCaptcha("AC7K", testRng(3)).equals(drawCaptcha("AC7K", testRng(3)))).toBe(true);
  });
});
