import { writeFile } from "node:fs/promises";
import { PNG } from "pngjs";
import QRCode from "qrcode";

// Fake-camera feeds for Chromium's --use-file-for-fake-video-capture: a YUV4MPEG2 file (4:2:0, grey
// only) that shows a QR on a light background. Chromium loops it, so a few frames are enough.

export const Y4M_WIDTH = 640;
export const Y4M_HEIGHT = 480;
const DARK = 16; // video-range luma
const LIGHT = 235;
const QUIET_ZONE = 4; // modules of light margin the QR spec asks for

export interface Y4mOptions {
  width?: number;
  height?: number;
  frames?: number;
}

/** A luma plane: `width × height` bytes, row by row. */
export interface LumaPlane {
  width: number;
  height: number;
  y: Uint8Array;
}

/** The QR of `text` as a square of dark/light modules (row-major), as the qrcode package lays it out. */
export function qrModules(text: string): { size: number; dark: (row: number, col: number) => boolean } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return { size: modules.size, dark: (row, col) => Boolean(modules.get(row, col)) };
}

/** A light frame with the QR of `text` centred, as large as fits in 80 % of the shorter side. */
export function qrLuma(text: string, width = Y4M_WIDTH, height = Y4M_HEIGHT): LumaPlane {
  const qr = qrModules(text);
  const span = qr.size + 2 * QUIET_ZONE;
  const px = Math.max(1, Math.floor((Math.min(width, height) * 0.8) / span));
  const left = Math.floor((width - qr.size * px) / 2);
  const top = Math.floor((height - qr.size * px) / 2);
  const y = new Uint8Array(width * height).fill(LIGHT);
  for (let r = 0; r < qr.size; r++)
    for (let c = 0; c < qr.size; c++) {
      if (!qr.dark(r, c)) continue;
      for (let dy = 0; dy < px; dy++)
        y.fill(
          DARK,
          (top + r * px + dy) * width + left + c * px,
          (top + r * px + dy) * width + left + (c + 1) * px,
        );
    }
  return { width, height, y };
}

/**
 * A picture (a PNG screenshot, e.g. the popup's QR) as luma, scaled down to fit if needed and centred on
 * a light frame. Transparent pixels count as light.
 */
export function pngLuma(png: Buffer, width = Y4M_WIDTH, height = Y4M_HEIGHT): LumaPlane {
  const img = PNG.sync.read(png);
  const scale = Math.min(1, width / img.width, height / img.height);
  const w = Math.floor(img.width * scale);
  const h = Math.floor(img.height * scale);
  const left = Math.floor((width - w) / 2);
  const top = Math.floor((height - h) / 2);
  const y = new Uint8Array(width * height).fill(LIGHT);
  for (let row = 0; row < h; row++)
    for (let col = 0; col < w; col++) {
      // nearest source pixel: QR modules stay sharp
      const i = (Math.floor(row / scale) * img.width + Math.floor(col / scale)) * 4;
      const a = (img.data[i + 3] ?? 255) / 255;
      const lum =
        0.299 * (img.data[i] ?? 255) + 0.587 * (img.data[i + 1] ?? 255) + 0.114 * (img.data[i + 2] ?? 255);
      const grey = lum * a + 255 * (1 - a);
      y[(top + row) * width + left + col] = Math.round(DARK + ((LIGHT - DARK) * grey) / 255);
    }
  return { width, height, y };
}

/** A YUV4MPEG2 file (C420jpeg) repeating the luma plane; chroma is neutral grey. */
export function y4m(plane: LumaPlane, frames = 3): Buffer {
  const { width, height, y } = plane;
  if (width % 2 || height % 2) throw new Error("y4m: width and height must be even for 4:2:0");
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`, "ascii");
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n", "ascii"), y, chroma]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

export function y4mFromText(text: string, options: Y4mOptions = {}): Buffer {
  return y4m(qrLuma(text, options.width, options.height), options.frames);
}

export function y4mFromPng(png: Buffer, options: Y4mOptions = {}): Buffer {
  return y4m(pngLuma(png, options.width, options.height), options.frames);
}

export async function writeY4m(path: string, data: Buffer): Promise<string> {
  await writeFile(path, data);
  return path;
}
