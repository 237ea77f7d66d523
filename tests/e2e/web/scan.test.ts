import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchPhone, launchPhoneSeeing, type PhoneBrowser } from "../../support/phone-browser";
import { type PagesHub, pagesHub } from "./world";

// The phone's 扫一扫 with a fake camera (Chromium plays a .y4m) and with a chosen photo.

const TICKET = "T3stTicket_0123456789abcdef";
/** The ticket's confirm screen; without the app's login it passes on to 登录 with ?next= pointing back. */
const atConfirm = (url: URL) =>
  url.pathname === `/app/qr/${TICKET}` || url.searchParams.get("next") === `/app/qr/${TICKET}`;
// Frames without a QR take jsQR longest (it searches the whole picture): wait for several, however long.
const PATIENT = { timeout: 30_000 };
let hub: PagesHub;
let phone: PhoneBrowser | undefined;

beforeAll(async () => {
  hub = await pagesHub();
});
afterAll(() => hub.close());

async function use(p: Promise<PhoneBrowser>): Promise<PhoneBrowser> {
  await phone?.close();
  phone = await p;
  return phone;
}
afterAll(() => phone?.close());

/** How many frames the scanner has decoded so far (the Scan screen counts them on its root). */
async function framesScanned(p: PhoneBrowser): Promise<number> {
  return Number(await p.page.getAttribute(".scan", "data-frames"));
}

describe("scanning with the camera", () => {
  it("reads a ticket QR of this hub and opens its confirm screen", async () => {
    const { page } = await use(launchPhoneSeeing(`${hub.url}/app/qr/${TICKET}`));
    await page.goto(`${hub.url}/app/scan`);
    await page.waitForURL(atConfirm);
    await expect.poll(() => page.textContent("h1")).toBe("登录");
  });

  it("says a QR from elsewhere cannot be used, and keeps scanning", async () => {
    const { page } = await use(launchPhoneSeeing("https://example.com/app/qr/T3stTicket_0123456789abcdef"));
    await page.goto(`${hub.url}/app/scan`);
    await expect.poll(() => page.textContent(".scan-notice")).toBe("无法识别的二维码");
    const seen = await framesScanned(phone as PhoneBrowser);
    await expect.poll(() => framesScanned(phone as PhoneBrowser), PATIENT).toBeGreaterThan(seen + 3);
    expect(new URL(page.url()).pathname).toBe("/app/scan");
  });

  it("decodes nothing from Chromium's test pattern", async () => {
    const p = await use(launchPhone());
    await p.page.goto(`${hub.url}/app/scan`);
    await expect.poll(() => framesScanned(p), PATIENT).toBeGreaterThan(5);
    expect(new URL(p.page.url()).pathname).toBe("/app/scan");
    expect(await p.page.$(".scan-notice")).toBeNull();
  });

  it("stops the camera when the person leaves the screen", async () => {
    const p = await use(launchPhone());
    // Keep a handle on every stream the page opens, to read its tracks' state afterwards.
    await p.page.addInitScript(() => {
      const streams: MediaStream[] = [];
      (window as unknown as { streams: MediaStream[] }).streams = streams;
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = async (c) => {
        const s = await open(c);
        streams.push(s);
        return s;
      };
    });
    await p.page.goto(`${hub.url}/app`);
    await p.page.click("text=扫一扫 >> nth=0");
    await expect.poll(() => p.page.getAttribute(".scan", "data-camera")).toBe("on");
    const trackStates = () =>
      p.page.evaluate(() =>
        (window as unknown as { streams: MediaStream[] }).streams.flatMap((s) =>
          s.getTracks().map((t) => t.readyState),
        ),
      );
    expect(await trackStates()).toEqual(["live"]);
    await p.page.click("button[aria-label=返回]");
    await p.page.waitForURL(`${hub.url}/app`);
    // The screen's cleanup stops the tracks after the route has changed: wait for it, don't race it.
    await expect.poll(trackStates).toEqual(["ended"]);
  });
});

describe("when the camera cannot be used", () => {
  it("asks for camera permission when it was refused", async () => {
    const { page } = await use(launchPhone({ camera: false }));
    await page.goto(`${hub.url}/app/scan`);
    await expect
      .poll(() => page.textContent(".scan-problem"))
      .toContain("无法使用摄像头，请在浏览器设置中允许访问相机");
  });

  it("says there is no camera when none is found", async () => {
    const { page } = await use(launchPhone({ videoFile: "/nonexistent/camera.y4m" }));
    await page.goto(`${hub.url}/app/scan`);
    await expect.poll(() => page.textContent(".scan-problem")).toContain("未检测到摄像头");
  });

  it("asks for HTTPS on an origin that is not secure", async () => {
    const port = new URL(hub.url).port;
    const { page } = await use(
      launchPhone({ extraArgs: ["--host-resolver-rules=MAP phone.test 127.0.0.1"] }),
    );
    await page.goto(`http://phone.test:${port}/app/scan`);
    await expect.poll(() => page.textContent(".scan-problem")).toContain("请通过HTTPS访问以使用摄像头扫码");
  });
});

describe("choosing a photo instead", () => {
  it("reads the QR in a chosen photo when the camera is refused", async () => {
    const { page } = await use(launchPhone({ camera: false }));
    await page.goto(`${hub.url}/app/scan`);
    await expect.poll(() => page.textContent(".scan-problem")).toContain("允许访问相机");
    const png = await QRCode.toBuffer(`${hub.url}/app/qr/${TICKET}`, { width: 600, margin: 4 });
    await page.setInputFiles("input[type=file]", { name: "qr.png", mimeType: "image/png", buffer: png });
    await page.waitForURL(atConfirm);
  });

  it("says so when the photo holds no QR", async () => {
    const { page } = await use(launchPhone({ camera: false }));
    await page.goto(`${hub.url}/app/scan`);
    const blank = await QRCode.toBuffer("x", { width: 200, color: { dark: "#ffffff", light: "#ffffff" } });
    await page.setInputFiles("input[type=file]", { name: "blank.png", mimeType: "image/png", buffer: blank });
    await expect.poll(() => page.textContent(".scan-notice")).toBe("未识别到二维码，请换一张清晰的图片");
  });
});
