import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { linesOf } from "../lines";
import {
  alertText,
  fillAccount,
  hallCode,
  type PagesHub,
  pagesWorld,
  passwordWorks,
  personByAccount,
  phoneNumber,
  residentId,
} from "./world";

// seed 2.2, the phone app: 大厅注册码注册 for every ID type (with 国籍), 人脸识别认证注册 for 居民身份证 only
// (a still from the camera — here Chromium's fake one — checked by the development portrait verifier).

const FACE_ID = residentId();
let w: PagesHub;
let page: Page;
pagesWorld({ hub: { faceIds: [FACE_ID] } }, (world) => ({ w, page } = world));

async function choose(method: "大厅注册码注册" | "人脸识别认证注册"): Promise<void> {
  await page.goto(`${w.url}/app/register`);
  expect(await page.isDisabled(`button:has-text("${method}")`)).toBe(true);
  await page.getByLabel("我已阅读并同意《用户注册协议》").check();
  await page.getByRole("button", { name: new RegExp(`^${method}`) }).click();
}

/** 登录名、密码、手机号码 + 短信验证码 → 完成注册. */
async function setUpAccount(loginName: string, password: string, mobile: string): Promise<void> {
  await fillAccount(page, w, { loginName, password, phone: mobile });
  await page.getByRole("button", { name: "完成注册" }).click();
  await expect.poll(() => page.textContent("h1")).toBe("注册成功");
}

describe("registration by hall code in the app", () => {
  it("registers a foreign passport holder with their nationality, who then logs in by login name only", async () => {
    const mobile = phoneNumber();
    const code = await hallCode(w, {
      name: "John Smith",
      idType: "外国护照",
      idNumber: "P12345678",
      nationality: "USA",
    });
    await choose("大厅注册码注册");
    await page.fill("#reg-code", code);
    await page.fill("#reg-name", "John Smith");
    await page.selectOption("#reg-id-type", "外国护照");
    await page.fill("#reg-id-number", "P12345678");
    // A passport implies no nationality: the person chooses it.
    expect(await page.inputValue("#reg-nationality")).toBe("");
    await page.selectOption("#reg-nationality", { label: "美国" });
    await page.getByRole("button", { name: "下一步" }).click();

    await expect.poll(() => page.textContent("[data-testid=verified]")).toContain("外国护照");
    await setUpAccount("john_smith", "Smith#2024", mobile);
    // seed 1.1: "注册时选择除居民身份证以外的证件类型，请使用登录名或手机号码登录"
    expect(await page.textContent("[data-testid=registered]")).toContain("手机号码或登录名");
    // The product names stay whole: no line holds 「端。」 alone.
    const lines = await linesOf(page, "[data-testid=registered] p.muted");
    expect(lines.at(-1)).not.toBe("端。");
    expect(lines.some((l) => l.includes("扣缴客户端。"))).toBe(true);

    expect(await personByAccount(w, "john_smith")).toMatchObject({
      name: "John Smith",
      idType: "外国护照",
      idNumber: "P12345678",
      nationality: "USA",
      householdRegion: null,
      registeredVia: "hall_code",
    });
    expect(await passwordWorks(w, "john_smith", "Smith#2024")).toBe(true);
    expect(await passwordWorks(w, mobile, "Smith#2024")).toBe(true);
    expect(await personByAccount(w, "P12345678")).toBeNull();
  });

  it("fixes the nationality of a 居民身份证 holder to 中国", async () => {
    await choose("大厅注册码注册");
    expect(await page.inputValue("#reg-nationality")).toBe("CHN");
    expect(await page.isDisabled("#reg-nationality")).toBe(true);
  });
});

describe("registration by face in the app", () => {
  it("is refused for a passport: only 居民身份证, and the hall code is offered instead", async () => {
    await choose("人脸识别认证注册");
    await page.selectOption("#reg-id-type", "中国护照");
    expect(await alertText(page)).toBe("人脸识别认证注册仅支持居民身份证，其他证件请使用大厅注册码注册");
    expect(await page.$('button:has-text("开始人脸识别")')).toBeNull();
    await page.getByRole("button", { name: "改用大厅注册码注册" }).click();
    await expect.poll(() => page.textContent("h1")).toBe("大厅注册码注册");
  });

  it("says so when the portrait check does not match, and lets the person take another", async () => {
    await choose("人脸识别认证注册");
    await page.fill("#reg-name", "周九");
    await page.fill("#reg-id-number", residentId());
    await page.getByRole("button", { name: "开始人脸识别" }).click();
    await page.waitForSelector(".face[data-camera=on]");
    await page.getByRole("button", { name: "拍摄" }).click();
    expect(await alertText(page)).toBe("人脸识别认证未通过，请重新拍摄或使用大厅注册码注册");
    expect(await page.isEnabled('button:has-text("拍摄")')).toBe(true);
  });

  it("registers a test identity from a camera still, then the account", async () => {
    const mobile = phoneNumber();
    await choose("人脸识别认证注册");
    await page.fill("#reg-name", "孙八");
    await page.fill("#reg-id-number", FACE_ID);
    await page.getByRole("button", { name: "开始人脸识别" }).click();
    await page.waitForSelector(".face[data-camera=on]");
    await page.getByRole("button", { name: "拍摄" }).click();

    await expect.poll(() => page.textContent("[data-testid=verified]")).toContain("身份已核验：*八");
    const checked = (await w.hub.events.recent(50)).filter((e) => e.kind === "portrait.checked").at(-1);
    expect(checked?.data).toMatchObject({ result: "match", verifier: "dev" });
    await setUpAccount("sunba", "Sunba#2024", mobile);
    expect(await page.textContent("[data-testid=registered]")).toContain("手机号码、证件号码或登录名");
    expect(await personByAccount(w, FACE_ID)).toMatchObject({ name: "孙八", registeredVia: "face" });
    // The camera is off once the face step is over.
    expect(await page.$("video")).toBeNull();
  });
});
