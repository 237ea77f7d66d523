import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { maskPhone } from "../../../shared/mask";
import {
  alertText,
  appToken,
  DESKTOP,
  lockAccount,
  type PagesHub,
  pagesWorld,
  passwordWorks,
  registered,
  smsCode,
  smsCount,
} from "./world";

// seed 2.1 (3) 【忘记密码】 on the portal: name + ID type + ID number → an SMS code to the registered phone →
// the new password twice. seed 1.1: it also lifts a lock.

let w: PagesHub;
let page: Page;
pagesWorld({ browser: { camera: false, viewport: DESKTOP } }, (world) => ({ w, page } = world));

describe("forgot password on the portal", () => {
  it("resets the password with an SMS code sent to the registered phone, which also lifts a lock", async () => {
    const account = await registered(w, { name: "吴十", password: "OldPass#1" });
    await lockAccount(w, account);
    await expect(appToken(w, account)).rejects.toThrow(/ 423 .*ACCOUNT_LOCKED/);
    await page.goto(`${w.url}/web/forgot-password`);
    await page.fill("#fp-name", "吴十");
    await page.selectOption("#fp-id-type", "居民身份证");
    await page.fill("#fp-id-number", account.idNumber);
    await page.getByRole("button", { name: "获取短信验证码" }).click();

    await expect.poll(() => page.textContent("[data-testid=sms-sent]")).toContain(maskPhone(account.phone));
    // The first code counts the resend interval down at once.
    await expect.poll(() => page.textContent(".sms-button")).toMatch(/^\d+秒后重新获取$/);
    await page.fill("#fp-sms", await smsCode(w, account.phone, "reset_password"));
    await page.fill("#fp-password", "NewPass#2");
    await page.fill("#fp-password-again", "NewPass#2");
    await page.getByRole("button", { name: "重置密码" }).click();

    await expect.poll(() => page.textContent("[data-testid=reset-done]")).toContain("密码重置成功");
    expect(await passwordWorks(w, account.loginName, "NewPass#2")).toBe(true);
    expect(await passwordWorks(w, account.loginName, "OldPass#1")).toBe(false);
    // seed 1.1: 【忘记密码】 "解锁账号" — the new password logs in at once.
    expect(await appToken(w, { loginName: account.loginName, password: "NewPass#2" })).toMatch(
      /^[\w-]{22,}$/,
    );
  });

  it("refuses an identity that is not registered, sending no SMS", async () => {
    const account = await registered(w, { name: "郑十一" });
    const before = await smsCount(w, account.phone);
    await page.goto(`${w.url}/web/forgot-password`);
    await page.fill("#fp-name", "郑十二");
    await page.fill("#fp-id-number", account.idNumber);
    await page.getByRole("button", { name: "获取短信验证码" }).click();
    expect(await alertText(page)).toBe("身份信息有误或该证件尚未注册");
    expect(await smsCount(w, account.phone)).toBe(before);
  });

  it("says a wrong SMS code is wrong and keeps the old password", async () => {
    const account = await registered(w, { name: "冯十三", password: "OldPass#1" });
    await page.goto(`${w.url}/web/forgot-password`);
    await page.fill("#fp-name", "冯十三");
    await page.fill("#fp-id-number", account.idNumber);
    await page.getByRole("button", { name: "获取短信验证码" }).click();
    await page.waitForSelector("#fp-sms");
    const right = await smsCode(w, account.phone, "reset_password");
    await page.fill("#fp-sms", right === "000000" ? "111111" : "000000");
    await page.fill("#fp-password", "NewPass#2");
    await page.fill("#fp-password-again", "NewPass#2");
    await page.getByRole("button", { name: "重置密码" }).click();
    expect(await alertText(page)).toBe("短信验证码错误");
    expect(await passwordWorks(w, account.loginName, "OldPass#1")).toBe(true);
  });
});
