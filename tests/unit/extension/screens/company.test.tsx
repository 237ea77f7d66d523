// @vitest-environment happy-dom
import { fireEvent, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { COMPANIES, companyView, gate, HUB, show, view } from "./fixtures";

const [BJ, SH, SZ] = COMPANIES as [(typeof COMPANIES)[0], (typeof COMPANIES)[0], (typeof COMPANIES)[0]];
const list = () => screen.getByRole("listbox", { name: "单位列表" });
const selectedName = () =>
  screen.getByRole("option", { selected: true }).querySelector(".company-name")?.textContent;

/** Types the declaration password "Decl2020ok" (and the captcha, when given) and presses 确定. */
function enterDeclaration(captcha?: string): void {
  fireEvent.input(screen.getByLabelText("申报密码"), { target: { value: "Decl2020ok" } });
  if (captcha !== undefined) fireEvent.input(screen.getByLabelText("验证码"), { target: { value: captcha } });
  fireEvent.click(screen.getByRole("button", { name: "确定" }));
}
const declarationSent = (captcha: string | undefined) => ({
  type: "declaration",
  taxId: BJ.taxId,
  declarationPassword: "Decl2020ok",
  captcha,
});

describe("单位办税验证: the company list (several companies)", () => {
  it("lists every company with its name and taxpayer ID, the first selected", () => {
    show(companyView());
    expect(screen.getByText("单位办税验证")).toBeTruthy();
    // The person's own name, whole: it is their own client.
    expect(screen.getByText("办税人员：张三")).toBeTruthy();
    for (const c of COMPANIES) {
      expect(screen.getByText(c.name)).toBeTruthy();
      expect(screen.getByText(c.taxId)).toBeTruthy();
    }
    expect(selectedName()).toBe(BJ.name);
  });

  it("enters a company on double-click", () => {
    const { act } = show(companyView());
    fireEvent.dblClick(screen.getByText(SZ.name));
    expect(act).toHaveBeenCalledWith({ type: "company.open", taxId: SZ.taxId });
  });

  it("enters the selected company with 进入", () => {
    const { act } = show(companyView());
    fireEvent.click(screen.getByText(SH.name));
    expect(selectedName()).toBe(SH.name);
    fireEvent.click(screen.getByRole("button", { name: "进入" }));
    expect(act).toHaveBeenCalledWith({ type: "company.open", taxId: SH.taxId });
  });

  it("moves with the arrow keys and enters with Enter", () => {
    const { act } = show(companyView());
    expect(document.activeElement).toBe(list());
    fireEvent.keyDown(list(), { key: "ArrowDown" });
    fireEvent.keyDown(list(), { key: "ArrowDown" });
    fireEvent.keyDown(list(), { key: "ArrowDown" }); // stays on the last
    expect(selectedName()).toBe(SZ.name);
    fireEvent.keyDown(list(), { key: "ArrowUp" });
    fireEvent.keyDown(list(), { key: "Enter" });
    expect(act).toHaveBeenCalledWith({ type: "company.open", taxId: SH.taxId });
  });

  it("marks an authorized company and a locked one", () => {
    const locked = { ...SZ, lockedUntil: new Date(Date.now() + 3600_000).toISOString() };
    show(companyView({ companies: [BJ, SH, locked] }));
    expect(screen.getAllByText("办税授权")).toHaveLength(1);
    expect(screen.getByText("已锁定")).toBeTruthy();
  });

  it("opens 添加", () => {
    const { act } = show(companyView());
    fireEvent.click(screen.getByRole("button", { name: "添加" }));
    expect(act).toHaveBeenCalledWith({ type: "company.addForm" });
  });

  it("waits for the list with a line saying so", () => {
    show(companyView({ companies: undefined }));
    expect(screen.getByText("正在获取单位列表…")).toBeTruthy();
  });
});

describe("one company: straight to its declaration password", () => {
  const one = (over = {}) => companyView({ companies: [BJ], pane: "enter", selected: BJ.taxId, ...over });

  it("shows the company and the declaration password, no way back to a list", () => {
    show(one());
    expect(screen.getByText(BJ.name)).toBeTruthy();
    expect(document.querySelector(".company-card")?.textContent).toContain(`纳税人识别号：${BJ.taxId}`);
    expect(screen.getByLabelText("申报密码")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /返回单位列表/ })).toBeNull();
  });

  it("sends the declaration password", () => {
    const { act } = show(one());
    enterDeclaration();
    expect(act).toHaveBeenCalledWith(declarationSent(undefined));
  });

  it("asks for the captcha after a wrong declaration password", () => {
    const { act } = show(
      one({
        declaration: gate({
          error: "申报密码错误",
          captchaRequired: true,
          attemptsLeft: 3,
          captchaImage: "data:image/png;base64,BB",
        }),
      }),
    );
    expect(screen.getByText("申报密码错误")).toBeTruthy();
    expect(screen.getByText("您还可以尝试3次")).toBeTruthy();
    enterDeclaration("1234");
    expect(act).toHaveBeenCalledWith(declarationSent("1234"));
  });

  it("shows the lock after the 5th wrong try, with the portal link the hub gives", () => {
    const message =
      "申报密码输错超过5次（含），已被锁定，请在120分钟后再试，或由税务登记的法定代表人或财务经理通过个人所得税APP、WEB端或前往办税大厅重置";
    const { openTab } = show(
      one({
        declaration: gate({
          error: message,
          code: "DECLARATION_LOCKED",
          lockedMinutes: 120,
          links: [{ label: "个人所得税WEB端", url: `${HUB}/web/declaration-password` }],
        }),
      }),
    );
    expect(screen.getByText(message)).toBeTruthy();
    expect(screen.getByText("剩余锁定时间：120分钟")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "个人所得税WEB端" }));
    expect(openTab).toHaveBeenCalledWith(`${HUB}/web/declaration-password`);
  });

  it("shows a lock the list already knows", () => {
    const locked = { ...BJ, lockedUntil: new Date(Date.now() + 30 * 60_000 - 1000).toISOString() };
    show(one({ companies: [locked] }));
    expect(screen.getByText("申报密码已锁定，剩余锁定时间：30分钟")).toBeTruthy();
  });

  it("忘记申报密码 shows the web portal link and the app's QR", () => {
    const { openTab } = show(one());
    fireEvent.click(screen.getByRole("button", { name: "忘记申报密码" }));
    expect(screen.getByText(/法定代表人或财务经理/)).toBeTruthy();
    expect(screen.getByRole("img", { name: "个人所得税APP二维码" }).getAttribute("data-qr")).toBe(
      `${HUB}/app/download`,
    );
    fireEvent.click(screen.getByRole("button", { name: "打开个人所得税WEB端重置申报密码" }));
    expect(openTab).toHaveBeenCalledWith(`${HUB}/web/declaration-password`);
    fireEvent.click(screen.getByRole("button", { name: "返回" }));
    expect(screen.getByLabelText("申报密码")).toBeTruthy();
  });
});

describe("other ways in", () => {
  it("lets an authorized handler in with 进入 and no password", () => {
    const { act } = show(companyView({ pane: "enter", selected: SH.taxId }));
    expect(screen.getByText("您已获得该单位的办税授权，无需输入申报密码")).toBeTruthy();
    expect(screen.queryByLabelText("申报密码")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "进入" }));
    expect(act).toHaveBeenCalledWith({ type: "authorization", taxId: SH.taxId });
  });

  it("asks an authorized handler for the password while authorization is not yet live", () => {
    const v = companyView({ pane: "enter", selected: SH.taxId });
    show({ ...v, hub: { caOffered: false, authorizationActive: false, qrTtlS: 120, clockOffsetMs: 0 } });
    expect(screen.getByLabelText("申报密码")).toBeTruthy();
  });

  it("hides CA for a company the hub lists without it (not 本市, or after the cut-off)", () => {
    const v = companyView({ pane: "enter", selected: SZ.taxId });
    // The welcome's offer no longer decides: the company's own entry in the list does.
    show({ ...v, hub: { caOffered: true, authorizationActive: true, qrTtlS: 120, clockOffsetMs: 0 } });
    expect(screen.queryByRole("tab", { name: "CA校验" })).toBeNull();
    expect(screen.queryByText("CA校验")).toBeNull();
    expect(screen.getByLabelText("申报密码")).toBeTruthy();
  });

  it("offers CA next to the declaration password for a company listed with it", () => {
    show(companyView({ pane: "enter", selected: BJ.taxId }));
    fireEvent.click(screen.getByRole("tab", { name: "CA校验" }));
    expect(screen.getByLabelText("CA证书")).toBeTruthy();
    expect(screen.getByLabelText("证书私钥")).toBeTruthy();
    expect((screen.getByRole("button", { name: "CA校验" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("leaves the declaration password, with the hub's words, once the hub refuses CA after the cut-off", () => {
    const message = "扣缴客户端已不再支持以CA方式登录，请使用申报密码或办税授权";
    const companies = COMPANIES.map((c) => ({ ...c, ca: false }));
    const declaration = gate({ error: message, code: "CA_NOT_OFFERED" });
    show(companyView({ pane: "enter", selected: BJ.taxId, companies, declaration }));
    expect(screen.queryByRole("tab", { name: "CA校验" })).toBeNull();
    expect(screen.getByLabelText("申报密码")).toBeTruthy();
    expect(screen.getByText(message)).toBeTruthy();
  });

  it("goes back to the list from a company when there are several", () => {
    const { act } = show(companyView({ pane: "enter", selected: BJ.taxId }));
    fireEvent.click(screen.getByRole("button", { name: /返回单位列表/ }));
    expect(act).toHaveBeenCalledWith({ type: "company.list" });
  });
});

describe("添加: the first company", () => {
  it("takes the taxpayer ID and the declaration password", () => {
    const { act } = show(companyView({ companies: [], pane: "add" }));
    expect(screen.getByText("添加单位")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "返回" })).toBeNull();
    fireEvent.input(screen.getByLabelText("纳税人识别号"), { target: { value: " 91110108ma01abcd2x " } });
    enterDeclaration();
    expect(act).toHaveBeenCalledWith({
      type: "company.add",
      taxId: "91110108MA01ABCD2X",
      declarationPassword: "Decl2020ok",
      captcha: undefined,
    });
  });

  it("shows the hub's refusal and a captcha on the add form", () => {
    show(
      companyView({
        companies: [BJ],
        pane: "add",
        add: gate({
          error: "纳税人识别号格式不正确",
          captchaRequired: true,
          captchaImage: "data:image/png;base64,CC",
        }),
      }),
    );
    expect(screen.getByText("纳税人识别号格式不正确")).toBeTruthy();
    expect(screen.getByLabelText("验证码")).toBeTruthy();
    expect(screen.getByRole("button", { name: "返回" })).toBeTruthy();
  });

  it("offers 退出登录 from the company step", () => {
    const { act } = show(view({ stage: "company", companies: [], pane: "add" }));
    fireEvent.click(screen.getByRole("button", { name: "退出登录" }));
    expect(act).toHaveBeenCalledWith({ type: "logout" });
  });
});
