// @vitest-environment happy-dom
import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { gate, HUB, show, view } from "./fixtures";

const password = () => screen.getByLabelText("密码") as HTMLInputElement;
const account = () => screen.getByLabelText("账号") as HTMLInputElement;
const keyboard = () => screen.queryByRole("group", { name: "软键盘" });
const key = (label: string) => within(keyboard() as HTMLElement).getByRole("button", { name: label });

describe("账号密码登录 (the default screen)", () => {
  it("opens on account + password under the client's title, with the soft keyboard shown", () => {
    show(view());
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("自然人税收管理系统扣缴客户端");
    expect(screen.getByText("实名登录")).toBeTruthy();
    // seed 1.1: "可凭注册的手机号码/登录名/证件号作为账号进行登录".
    expect(account().placeholder).toBe("手机号码/登录名/证件号码");
    expect(screen.getByRole("checkbox", { name: "记住账号" })).toHaveProperty("checked", false);
    expect(password().type).toBe("password");
    expect(keyboard()).toBeTruthy();
    expect(screen.queryByLabelText("验证码")).toBeNull();
    expect((screen.getByRole("button", { name: "登录" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("types into the password from the soft keyboard: letters, 上档键 (⇧) once, 删除", () => {
    show(view());
    expect(key("上档键").textContent).toBe("⇧");
    expect(within(keyboard() as HTMLElement).queryByText("Shift")).toBeNull();
    for (const label of ["a", "b", "上档键"]) fireEvent.click(key(label));
    fireEvent.click(key("C"));
    fireEvent.click(key("d"));
    fireEvent.click(key("1"));
    expect(password().value).toBe("abCd1");
    fireEvent.click(key("删除"));
    expect(password().value).toBe("abCd");
  });

  it("reaches symbols through 符号, and 大写 stays on", () => {
    show(view());
    fireEvent.click(key("符号"));
    fireEvent.click(key("!"));
    fireEvent.click(key("ABC"));
    fireEvent.click(key("大写"));
    fireEvent.click(key("Q"));
    fireEvent.click(key("W"));
    expect(password().value).toBe("!QW");
  });

  it("closes with 关闭 and reopens from the keyboard icon", () => {
    show(view());
    fireEvent.click(key("关闭"));
    expect(keyboard()).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "打开软键盘" }));
    expect(keyboard()).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "关闭软键盘" }));
    expect(keyboard()).toBeNull();
  });

  it("also takes the physical keyboard, and sends account + password on 登录", () => {
    const { act } = show(view());
    fireEvent.input(account(), { target: { value: " 13800138000 " } });
    fireEvent.input(password(), { target: { value: "Pass1234!" } });
    fireEvent.click(screen.getByRole("button", { name: "登录" }));
    expect(act).toHaveBeenCalledWith({
      type: "login",
      account: "13800138000",
      password: "Pass1234!",
      captcha: undefined,
      remember: false,
    });
  });

  it("remembers the account only when 记住账号 is ticked", () => {
    const { act } = show(view());
    fireEvent.input(account(), { target: { value: "13800138000" } });
    fireEvent.input(password(), { target: { value: "Pass1234!" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "记住账号" }));
    fireEvent.click(screen.getByRole("button", { name: "登录" }));
    expect(act).toHaveBeenCalledWith(expect.objectContaining({ account: "13800138000", remember: true }));
  });

  it("opens with the remembered account typed in and 记住账号 ticked, the password empty", () => {
    show(view({ rememberedAccount: "wangfang" }));
    expect(account().value).toBe("wangfang");
    expect(password().value).toBe("");
    expect(screen.getByRole("checkbox", { name: "记住账号" })).toHaveProperty("checked", true);
  });

  it("shows the captcha after a wrong password, with the tries left; clicking the image changes it", () => {
    const { act } = show(
      view({
        login: gate({
          error: "账号或密码错误",
          captchaRequired: true,
          attemptsLeft: 4,
          captchaImage: "data:image/png;base64,AAAA",
        }),
      }),
    );
    expect(screen.getByRole("alert").textContent).toContain("账号或密码错误");
    expect(screen.getByText("您还可以尝试4次")).toBeTruthy();
    expect((screen.getByAltText("验证码") as HTMLImageElement).src).toBe("data:image/png;base64,AAAA");
    fireEvent.click(screen.getByRole("button", { name: "更换验证码" }));
    expect(act).toHaveBeenCalledWith({ type: "captcha.refresh", purpose: "login" });

    fireEvent.input(account(), { target: { value: "13800138000" } });
    fireEvent.input(password(), { target: { value: "Pass1234!" } });
    const login = screen.getByRole("button", { name: "登录" }) as HTMLButtonElement;
    expect(login.disabled).toBe(true); // the captcha is owed
    fireEvent.input(screen.getByLabelText("验证码"), { target: { value: "8341" } });
    fireEvent.click(login);
    expect(act).toHaveBeenLastCalledWith({
      type: "login",
      account: "13800138000",
      password: "Pass1234!",
      captcha: "8341",
      remember: false,
    });
  });

  it("shows the lock with the minutes left, in the hub's words", () => {
    const message = "密码错误超过5次（含），账号已被锁定，请在120分钟后再试，或通过【忘记密码】解锁账号";
    show(
      view({
        login: gate({ error: message, code: "ACCOUNT_LOCKED", lockedMinutes: 118, captchaRequired: true }),
      }),
    );
    expect(screen.getByText(message)).toBeTruthy();
    expect(screen.getByText("剩余锁定时间：118分钟")).toBeTruthy();
  });

  it("says on the lock that the QR still logs in, and switches to it", () => {
    const { act } = show(
      view({
        login: gate({ error: "已锁定", code: "ACCOUNT_LOCKED", lockedMinutes: 118, captchaRequired: true }),
      }),
    );
    fireEvent.click(screen.getByRole("button", { name: "可使用个税APP扫码登录" }));
    expect(act).toHaveBeenCalledWith({ type: "mode", mode: "qr" });
  });

  it("stops showing the lock once another account is typed, and shows it again for the locked one", () => {
    const message = "账号已被锁定";
    show(view({ login: gate({ error: message, code: "ACCOUNT_LOCKED", lockedMinutes: 118 }) }));
    expect(screen.getByText(message)).toBeTruthy();
    fireEvent.input(account(), { target: { value: "13900139000" } });
    expect(screen.queryByText(message)).toBeNull();
    expect(screen.queryByText("剩余锁定时间：118分钟")).toBeNull();
    expect(screen.queryByText("可使用个税APP扫码登录")).toBeNull();
    fireEvent.input(account(), { target: { value: "" } });
    expect(screen.getByText(message)).toBeTruthy();
  });

  it("does not offer the QR hint on a plain wrong password", () => {
    show(
      view({ login: gate({ error: "账号或密码错误", code: "ACCOUNT_OR_PASSWORD_WRONG", attemptsLeft: 4 }) }),
    );
    expect(screen.queryByText("可使用个税APP扫码登录")).toBeNull();
  });

  it("offers 忘记密码 once on the lock, though the hub sends it as a way out", () => {
    const { openTab } = show(
      view({
        login: gate({
          error: "账号已被锁定",
          code: "ACCOUNT_LOCKED",
          lockedMinutes: 120,
          links: [{ label: "忘记密码", url: `${HUB}/web/forgot-password` }],
        }),
      }),
    );
    const forgot = screen.getAllByRole("button", { name: "忘记密码" });
    expect(forgot).toHaveLength(1);
    fireEvent.click(forgot[0] as HTMLElement);
    expect(openTab).toHaveBeenCalledWith(`${HUB}/web/forgot-password`);
  });

  it("opens the portal's 忘记密码 and 立即注册 pages in a tab", () => {
    const { openTab } = show(view());
    fireEvent.click(screen.getByRole("button", { name: "忘记密码" }));
    fireEvent.click(screen.getByRole("button", { name: "立即注册" }));
    expect(openTab.mock.calls).toEqual([[`${HUB}/web/forgot-password`], [`${HUB}/web/register`]]);
  });

  it("switches to the QR from the top-right corner", () => {
    const { act } = show(view());
    fireEvent.click(screen.getByRole("button", { name: "切换到扫码登录" }));
    expect(act).toHaveBeenCalledWith({ type: "mode", mode: "qr" });
  });

  it("says 登录中… and does not send twice while waiting", () => {
    show(view({ login: gate({ pending: true }) }));
    expect((screen.getByRole("button", { name: "登录中…" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("the link to the hub", () => {
  it("shows 网络连接中断，正在重连… while away, with the 服务地址 and a way to change it, and keeps 登录 off", () => {
    const { openOptions } = show(view({ link: { status: "connecting", away: true } }));
    const banner = screen.getByRole("status");
    expect(banner.textContent).toBe("网络连接中断，正在重连…服务地址：http://127.0.0.1:8080设置服务地址");
    fireEvent.click(screen.getByRole("button", { name: "设置服务地址" }));
    expect(openOptions).toHaveBeenCalledTimes(1);
    fireEvent.input(account(), { target: { value: "a" } });
    fireEvent.input(password(), { target: { value: "b" } });
    expect((screen.getByRole("button", { name: "登录" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows why the hub refused us for good, with 重新连接", () => {
    const { act } = show(
      view({ link: { status: "disconnected", away: false, fatal: "客户端版本过低，请升级后再试" } }),
    );
    expect(screen.getByRole("alert").textContent).toContain("客户端版本过低，请升级后再试");
    fireEvent.click(screen.getByRole("button", { name: "重新连接" }));
    expect(act).toHaveBeenCalledWith({ type: "reconnect" });
  });

  it("says plainly when the hub refused this browser's origin, naming the origin to allow", () => {
    const origin = "moz-extension://0b7d3c2e-5a61-4c7e-9f3a-2d1e8b6a4c10";
    show(view({ link: { status: "connecting", away: true, refused: origin } }));
    expect(screen.getByRole("alert").textContent).toBe(
      `服务器未允许此浏览器连接：请管理员将 ${origin} 加入 ALLOWED_ORIGINS`,
    );
    expect(screen.queryByText("网络连接中断，正在重连…")).toBeNull();
    expect((screen.getByRole("button", { name: "登录" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows a notice (why the session ended) that can be dismissed", () => {
    const { act } = show(view({ notice: "登录已过期，请重新登录" }));
    expect(screen.getByText("登录已过期，请重新登录")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "关闭提示" }));
    expect(act).toHaveBeenCalledWith({ type: "notice.dismiss" });
  });
});
