import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCompany } from "../../../server/hall/service";
import { systemClock } from "../../../server/kernel/clock";
import { verifySecret } from "../../../server/people/passwords";
import { launchPhone, type PhoneBrowser } from "../../support/phone-browser";
import {
  type Account,
  appToken,
  logInOnForm,
  type PagesHub,
  pagesHub,
  registered,
  residentId,
  smsCode,
} from "./world";

// 企业办税权限 (seed 1.3): the legal representative grants and revokes a handler's 办税授权 in the app; the
// finance manager resets the company's declaration password on the portal with an SMS code to their phone.

const TAX_ID = "91350100M000100Y43";
let w: PagesHub;
let browser: PhoneBrowser;
let page: Page;
let legalRep: Account;
let financeManager: Account;
let handler: Account;

beforeAll(async () => {
  w = await pagesHub();
  legalRep = await registered(w, { name: "张三" });
  financeManager = await registered(w, { name: "李四" });
  handler = await registered(w, { name: "王五" });
  const hall = { db: w.hub.db, clock: systemClock, nodeId: "test", operator: "test-hall" };
  await addCompany(hall, {
    taxId: TAX_ID,
    name: "北京示例科技有限公司",
    legalRep: { idType: legalRep.idType, idNumber: legalRep.idNumber },
    financeManager: { idType: financeManager.idType, idNumber: financeManager.idNumber },
    declarationPassword: "Decl0001",
    local: false,
  });
  browser = await launchPhone({ camera: false });
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const activeAuthorizations = async () =>
  w.hub.db.query<{ handler_person_id: string }>(
    "SELECT handler_person_id FROM authorizations WHERE tax_id = $1 AND revoked_at IS NULL",
    [TAX_ID],
  );

describe("the legal representative in the app", () => {
  it("grants a handler 办税授权 and revokes it", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${w.url}/app/company`);
    await page.waitForURL(/\/app\/login\?next=%2Fapp%2Fcompany/);
    await logInOnForm(page, legalRep);
    await page.waitForURL(`${w.url}/app/company`);

    const item = page.locator(`[data-tax-id="${TAX_ID}"]`);
    expect(await item.textContent()).toContain("法定代表人");
    await item.getByRole("button").click();
    await page.waitForSelector("text=暂无已授权的办税人员");

    await page.fill(`#grant-${TAX_ID}-name`, handler.name);
    await page.fill(`#grant-${TAX_ID}-id-number`, handler.idNumber);
    await page.getByRole("button", { name: "授权", exact: true }).click();
    await expect.poll(() => page.textContent("[role=status]")).toBe("已为*五办理办税授权");
    expect(await page.textContent(".authorizations")).toContain("*五");
    expect(await activeAuthorizations()).toHaveLength(1);

    await page.getByRole("button", { name: "解除授权" }).click();
    await page.getByRole("button", { name: "确认解除" }).click();
    await expect.poll(() => page.textContent("[role=status]")).toBe("已解除*五的办税授权");
    await page.waitForSelector("text=暂无已授权的办税人员");
    expect(await activeAuthorizations()).toHaveLength(0);
  });
});

describe("the legal representative's refusals", () => {
  it("says a handler who has not registered cannot be authorized", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${w.url}/app/company`);
    await page.locator(`[data-tax-id="${TAX_ID}"] button`).click(); // still logged in from above
    await page.fill(`#grant-${TAX_ID}-name`, "赵钱孙");
    await page.fill(`#grant-${TAX_ID}-id-number`, residentId());
    await page.getByRole("button", { name: "授权", exact: true }).click();
    await expect
      .poll(() => page.textContent(".grant-form [role=alert]"))
      .toBe("未找到该办税人员，请核对姓名、证件类型和证件号码（办税人员须先完成实名注册）");
    expect(await activeAuthorizations()).toHaveLength(0);
  });
});

describe("an authorized handler", () => {
  it("sees the company as authorized, without the legal representative's actions", async () => {
    const token = await appToken(w, legalRep);
    const granted = await fetch(`${w.url}/api/app/companies/${TAX_ID}/authorizations`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: handler.name, idType: handler.idType, idNumber: handler.idNumber }),
    });
    expect(granted.status).toBe(201);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${w.url}/web/company`);
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await logInOnForm(page, handler, "portal-login");
    const row = page.locator(`tr[data-tax-id="${TAX_ID}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("已获办税授权");
    await row.getByRole("button", { name: "查看详情" }).click();
    expect(await page.textContent(".company-detail")).toContain(
      "只有税务登记的法定代表人或财务经理可以办理办税授权和重置申报密码。",
    );
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForSelector("#portal-login-account");
  });
});

describe("the finance manager on the portal", () => {
  it("resets the declaration password with an SMS code to their own phone", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${w.url}/web/company`);
    await logInOnForm(page, financeManager, "portal-login");
    const row = page.locator(`tr[data-tax-id="${TAX_ID}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("财务经理");
    await row.getByRole("button", { name: "查看详情" }).click();
    // A finance manager may reset the password but does not grant authorizations.
    expect(await page.$("text=新增办税授权")).toBeNull();

    await page.getByRole("button", { name: "获取验证码" }).click();
    await expect
      .poll(() => page.textContent(".declaration-form .hint"))
      .toContain("验证码已发送至您绑定的手机");
    await page.fill(`#decl-${TAX_ID}-password`, "NewDecl2024");
    await page.fill(`#decl-${TAX_ID}-confirm`, "NewDecl2024");
    await page.fill(
      `#decl-${TAX_ID}-sms`,
      await smsCode(w, financeManager.phone, "reset_declaration_password"),
    );
    await page.getByRole("button", { name: "确认重置" }).click();
    await expect.poll(() => page.textContent("[role=status]")).toContain("申报密码已重置");

    const [company] = await w.hub.db.query<{ declaration_password_hash: string }>(
      "SELECT declaration_password_hash FROM companies WHERE tax_id = $1",
      [TAX_ID],
    );
    expect(await verifySecret(company?.declaration_password_hash ?? null, "NewDecl2024")).toBe(true);
  });
});
