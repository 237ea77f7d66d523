import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, devices, type Page } from "playwright-core";
import { CHROMIUM_FLAGS } from "./browser";
import { CHROMIUM_PATH } from "./services";
import { writeY4m, y4mFromText } from "./y4m";

// A phone in Chromium: Pixel 7 screen and user agent, and a fake camera that shows a .y4m file
// (Chromium's moving test pattern when there is none). See shared/recipes/browser-tests.md.

export interface PhoneOptions {
  /** Absolute or relative path of the .y4m the camera shows; omitted: Chromium's test pattern. */
  videoFile?: string;
  /** false: no camera permission, so getUserMedia fails with NotAllowedError. Default true. */
  camera?: boolean;
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  extraArgs?: string[];
}

export interface PhoneBrowser {
  ctx: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchPhone(options: PhoneOptions = {}): Promise<PhoneBrowser> {
  const { defaultBrowserType: _, ...pixel } = devices["Pixel 7"];
  const profile = await mkdtemp(join(tmpdir(), "shiming-phone-"));
  const args = [...CHROMIUM_FLAGS, "--use-fake-device-for-media-stream", ...(options.extraArgs ?? [])];
  if (options.camera !== false) args.push("--use-fake-ui-for-media-stream");
  if (options.videoFile) args.push(`--use-file-for-fake-video-capture=${resolve(options.videoFile)}`);
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args,
    ...pixel,
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.deviceScaleFactor ? { deviceScaleFactor: options.deviceScaleFactor } : {}),
    locale: "zh-CN",
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return {
    ctx,
    page,
    async close() {
      await ctx.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A phone whose camera sees the QR of `text`; the .y4m lives in a temp folder removed on close. */
export async function launchPhoneSeeing(text: string, options: Omit<PhoneOptions, "videoFile"> = {}) {
  const dir = await mkdtemp(join(tmpdir(), "shiming-y4m-"));
  const videoFile = await writeY4m(join(dir, "qr.y4m"), y4mFromText(text));
  const phone = await launchPhone({ ...options, videoFile });
  return {
    ...phone,
    async close() {
      await phone.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
