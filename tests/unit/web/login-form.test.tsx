// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LoginForm } from "../../../server/web/common/login-form";

// The login form shows what the hub answers: a captcha once one is required, how long a lock lasts,
// and the links the hub offers instead. The hub is a scripted fetch here.

const CAPTCHA = {
  id: "captcha_0123456789abcdef",
  image: "data:image/png;base64,iVBORw0KGgo=",
  expiresAt: "2030-01-01T00:00:00Z",
};
const LOGIN = {
  token: "token_0123456789abcdefghij",
  expiresAt: "2030-01-01T00:00:00Z",
  person: { maskedName: "*三", maskedIdNumber: "1101**********4514", idType: "居民身份证" },
};

type Answer = [status: number, body: unknown];

function hub(answers: Record<string, Answer[]>) {
  const calls: { path: string; body: unknown }[] = [];
  const fetch = vi.fn(async (path: string, init: RequestInit) => {
    calls.push({ path, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const [status, body] = answers[path]?.shift() ?? [404, { code: "UNKNOWN_MESSAGE", message: "x" }];
    return new Response(JSON.stringify(body), { status });
  });
  vi.stubGlobal("fetch", fetch);
  return calls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function submit(account: string, password: string, captcha?: string) {
  fireEvent.input(screen.getByLabelText("账号"), { target: { value: account } });
  fireEvent.input(screen.getByLabelText("密码"), { target: { value: password } });
  if (captcha !== undefined) fireEvent.input(screen.getByLabelText("验证码"), { target: { value: captcha } });
  fireEvent.click(screen.getByRole("button", { name: "登录" }));
}

describe("the login form", () => {
  it("asks for a captcha after a wrong password and sends it with the next attempt", async () => {
    const calls = hub({
      "/api/app/login": [
        [
          401,
          {
            code: "ACCOUNT_OR_PASSWORD_WRONG",
            message: "账号或密码错误",
            captchaRequired: true,
            attemptsLeft: 4,
          },
        ],
        [200, LOGIN],
      ],
      "/api/app/captcha": [[200, CAPTCHA]],
    });
    const onLoggedIn = vi.fn();
    render(<LoginForm channel="app" onLoggedIn={onLoggedIn} forgotHref="/web/forgot-password" />);
    expect(screen.queryByLabelText("验证码")).toBeNull();

    await submit("zhangsan", "wrong");
    await waitFor(() => expect(screen.getByRole("img").getAttribute("src")).toBe(CAPTCHA.image));
    expect(screen.getByRole("alert").textContent).toBe("账号或密码错误再输错4次，账号将被锁定120分钟");
    expect(calls.find((c) => c.path === "/api/app/captcha")?.body).toEqual({ purpose: "login" });

    await submit("zhangsan", "Right#123", "ab12");
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledWith(LOGIN));
    expect(calls.at(-1)?.body).toEqual({
      account: "zhangsan",
      password: "Right#123",
      channel: "app",
      captcha: { id: "captcha_0123456789abcdef", answer: "ab12" },
    });
  });

  it("says how many minutes a locked account stays locked, with the hub's way out", async () => {
    hub({
      "/api/app/login": [
        [
          423,
          {
            code: "ACCOUNT_LOCKED",
            message: "密码错误超过5次（含），账号已被锁定，请在120分钟后再试，或通过【忘记密码】解锁账号",
            minutesLeft: 97,
            links: [{ label: "忘记密码", url: "/web/forgot-password" }],
          },
        ],
      ],
    });
    render(<LoginForm channel="app" onLoggedIn={vi.fn()} forgotHref="/web/forgot-password" />);
    await submit("zhangsan", "whatever");
    await waitFor(() => screen.getByRole("alert"));
    expect(screen.getByText("剩余锁定时间：约97分钟")).toBeTruthy();
    const link = screen.getAllByRole("link", { name: "忘记密码" })[0] as HTMLAnchorElement;
    expect(new URL(link.href).pathname).toBe("/web/forgot-password");
  });

  it("follows no link of the hub's that is not http(s)", async () => {
    hub({
      "/api/app/login": [
        [
          423,
          { code: "ACCOUNT_LOCKED", message: "锁定", links: [{ label: "点我", url: "javascript:alert(1)" }] },
        ],
      ],
    });
    render(<LoginForm channel="app" onLoggedIn={vi.fn()} forgotHref="/web/forgot-password" />);
    await submit("zhangsan", "whatever");
    await waitFor(() => screen.getByText("点我"));
    expect(screen.getByText("点我").getAttribute("href")).toBe("#");
  });

  it("asks for the account and password before calling the hub", async () => {
    const calls = hub({});
    render(<LoginForm channel="app" onLoggedIn={vi.fn()} forgotHref="/web/forgot-password" />);
    fireEvent.click(screen.getByRole("button", { name: "登录" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("请输入账号和密码"));
    expect(calls).toEqual([]);
  });
});
