import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  alertText,
  DESKTOP,
  hallCode,
  logInOnForm,
  type PagesHub,
  pagesWorld,
  passwordWorks,
  personByAccount,
  phoneNumber,
  residentId,
  smsCode,
} from "./world";

// seed 2.1, the web portal: 【同意并继续】 → 【大厅注册码注册】 with the identity (a rare character typed with
// 录入生僻字) → login name, password, phone + SMS code, 户籍所在地 → done; then the account logs in.

let w: PagesHub;
let page: Page;
pagesWorld({ browser: { camera: false, viewport: DESKTOP } }, (world) => ({ w, page } = world));

async function startRegistration(): Promise<void> {
  await page.goto(`${w.url}/web/register`);
  await page.getByRole("button", { name: "同意并继续" }).click();
  await page.getByRole("button", { name: /^大厅注册码注册/ }).click();
}

/** 录入生僻字 → 一 → 1画 → 𠀀 → 确定: the character goes in at the end of what was typed. */
async function typeNameWithRare(typed: string): Promise<void> {
  await page.fill("#reg-name", typed);
  await page.getByRole("button", { name: "录入生僻字" }).click();
  await page.click('[data-radical="1"]');
  await page.click('[data-strokes="1"]');
  await page.click('.rare-chars [title="U+20000"]');
  await page.getByRole("button", { name: "确定" }).click();
}

describe("registration by hall code on the portal", () => {
  it("registers 张𠀀 with 户籍所在地 北京市东城区, and the account then logs in", async () => {
    const idNumber = residentId();
    const phone = phoneNumber();
    const code = await hallCode(w, { name: "张\u{20000}", idType: "居民身份证", idNumber });

    await startRegistration();
    await typeNameWithRare("张");
    expect(await page.inputValue("#reg-name")).toBe("张\u{20000}");
    await page.selectOption("#reg-id-type", "居民身份证");
    await page.fill("#reg-id-number", idNumber);
    await page.fill("#reg-code", code);
    await page.getByRole("button", { name: "下一步" }).click();

    await expect.poll(() => page.textContent("[data-testid=verified]")).toContain("身份已核验：*\u{20000}");
    await page.fill("#reg-login-name", "张𠀀_2024");
    await page.fill("#reg-password", "Zhang#2024");
    await page.fill("#reg-password-again", "Zhang#2024");
    await page.fill("#reg-phone", phone);
    await page.getByRole("button", { name: "获取验证码" }).click();
    await expect.poll(() => page.textContent(".sms-button")).toMatch(/^\d+秒后重新获取$/);
    expect(await page.isDisabled(".sms-button")).toBe(true);
    await page.fill("#reg-sms", await smsCode(w, phone, "register"));
    await page.selectOption("#reg-region-province", { label: "北京市" });
    await page.selectOption("#reg-region-county", { label: "东城区" });
    await page.getByRole("button", { name: "完成注册" }).click();

    await expect.poll(() => page.textContent("[data-testid=registered]")).toContain("注册成功");
    expect(await page.textContent("[data-testid=registered]")).toContain("张𠀀_2024");
    // The page never shows the SMS code; the hub has it only in its development event stream.
    expect(await page.textContent("body")).not.toContain(await smsCode(w, phone));

    const person = await personByAccount(w, "张𠀀_2024");
    expect(person).toMatchObject({
      name: "张\u{20000}",
      idType: "居民身份证",
      idNumber,
      phone,
      householdRegion: "110101",
      registeredVia: "hall_code",
      agreementVersion: "2019-11-09",
    });
    // seed 2.1 ③: "设置完成后即可通过手机号码/证件号码/登录名登录"
    for (const account of [phone, idNumber]) expect(await passwordWorks(w, account, "Zhang#2024")).toBe(true);
    await page.goto(`${w.url}/app/login`);
    await logInOnForm(page, { loginName: "张𠀀_2024", password: "Zhang#2024" });
    await page.waitForURL(`${w.url}/app`);
    expect(await page.textContent("[data-testid=who]")).toBe("您好，张\u{20000}");
  });

  it("shows which login-name and password rules a value breaks", async () => {
    const idNumber = residentId();
    const code = await hallCode(w, { name: "赵六", idType: "居民身份证", idNumber });
    await startRegistration();
    await page.fill("#reg-name", "赵六");
    await page.fill("#reg-id-number", idNumber);
    await page.fill("#reg-code", code);
    await page.getByRole("button", { name: "下一步" }).click();
    await page.waitForSelector("#reg-login-name");

    const states = (label: string) =>
      page.$$eval(`[aria-label="${label}"] li`, (lis) =>
        lis.map((li) => `${li.getAttribute("data-state")} ${li.textContent}`),
      );
    await page.fill("#reg-login-name", "12345");
    expect(await states("登录名规则")).toEqual([
      "ok ✓2-16位字符",
      "ok ✓可由大小写字母、数字、中文、下划线构成",
      "fail ✗不支持纯数字（未满足）",
    ]);
    await page.fill("#reg-password", "abc def");
    expect(await states("密码规则")).toEqual([
      "fail ✗8-15位（未满足）",
      "fail ✗字母大写、字母小写、数字、特殊字符其中三种或以上（未满足）",
      "fail ✗不允许空格（未满足）",
    ]);
    await page.fill("#reg-password", "Abcdef12");
    expect((await states("密码规则")).every((s) => s.startsWith("ok"))).toBe(true);
    await page.fill("#reg-password-again", "Abcdef13");
    expect(await page.textContent(".field-error")).toBe("两次输入的密码不一致");
  });

  it("says so when the hall code does not match the identity, and stays on the identity step", async () => {
    const idNumber = residentId();
    await hallCode(w, { name: "钱七", idType: "居民身份证", idNumber });
    await startRegistration();
    await page.fill("#reg-name", "钱七");
    await page.fill("#reg-id-number", idNumber);
    await page.fill("#reg-code", "ZZZZ99");
    await page.getByRole("button", { name: "下一步" }).click();
    expect(await alertText(page)).toBe("注册码错误或与证件信息不符，请核对后重新输入");
    expect(await page.getAttribute("#reg-code", "aria-invalid")).toBe("true");
    expect(await page.$("#reg-login-name")).toBeNull();
  });
});
