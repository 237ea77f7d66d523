import jsQR from "jsqr";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { type LumaPlane, pngLuma, qrLuma, y4m, y4mFromText } from "../../support/y4m";

// The fake-camera files the phone tests feed Chromium: checked here by reading them back with jsQR,
// as the scan page will.

function read(plane: LumaPlane): string | undefined {
  const rgba = new Uint8ClampedArray(plane.width * plane.height * 4);
  for (let i = 0; i < plane.y.length; i++) {
    const v = plane.y[i] ?? 0;
    rgba.set([v, v, v, 255], i * 4);
  }
  return jsQR(rgba, plane.width, plane.height)?.data;
}

const URL_TEXT = "http://127.0.0.1:8080/app/qr/T3stTicket_0123456789abcdef";

describe("fake-camera files", () => {
  it("start with a YUV4MPEG2 header and hold whole 4:2:0 frames", () => {
    const file = y4mFromText("hello", { frames: 2 });
    const header = "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n";
    expect(file.subarray(0, header.length).toString("ascii")).toBe(header);
    const frame = "FRAME\n".length + 640 * 480 * 1.5;
    expect(file.length).toBe(header.length + 2 * frame);
    expect(file.subarray(header.length, header.length + 6).toString("ascii")).toBe("FRAME\n");
    // neutral chroma: the last byte of a frame is V = 128
    expect(file[header.length + frame - 1]).toBe(128);
  });

  it("show a QR jsQR reads back, dark 16 on light 235", () => {
    const plane = qrLuma(URL_TEXT);
    expect(new Set(plane.y)).toEqual(new Set([16, 235]));
    expect(read(plane)).toBe(URL_TEXT);
  });

  it("turn a PNG (a screenshot of a QR) into a frame jsQR reads back", async () => {
    const png = await QRCode.toBuffer(URL_TEXT, { width: 300, margin: 2 });
    expect(read(pngLuma(png))).toBe(URL_TEXT);
  });

  it("shrink a picture larger than the frame to fit", async () => {
    const png = await QRCode.toBuffer(URL_TEXT, { width: 1000, margin: 4 });
    const plane = pngLuma(png);
    expect([plane.width, plane.height]).toEqual([640, 480]);
    expect(read(plane)).toBe(URL_TEXT);
  });

  it("refuse odd sizes, which 4:2:0 cannot halve", () => {
    expect(() => y4m({ width: 3, height: 2, y: new Uint8Array(6) })).toThrow(/even/);
  });
});
