// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CompanyAdmin } from "../../../server/web/common/company-admin";
import { sessionStore } from "../../../server/web/common/session";

// 企业办税权限 against a scripted hub: what each role is offered, and what each action sends and shows.

const SESSION = {
  token: "tok",
  expiresAt: "2030-01-01T00:00:00Z",
  person: {
    name: "张三",
    maskedName: "*三",
    maskedIdNumber: "1101**********4514",
    idType: "居民身份证" as const,
  },
};
const TAX_ID = "91110108MA01XXXX0X";
const me = (roles: string[]) => ({
  person: SESSION.person,
  companies: [{ taxId: TAX_ID, name: "北京示例科技有限公司", roles }],
});
const base = `/api/app/companies/${TAX_ID}`;
const SMS_SENT = {
  maskedPhone: "138****5678",
  expiresAt: "2030-01-01T00:05:00.000Z",
  resendAt: "2030-01-01T00:01:00.000Z",
};

type Answer = [status: number, body?: unknown];

function hub(answers: Record<string, Answer[]>) {
  const calls: { method: string; path: string; body: unknown; auth: string | undefined }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (path: string, init: RequestInit) => {
      const method = init.method ?? "GET";
      calls.push({
        method,
        path,
        body: init.body ? JSON.parse(String(init.body)) : undefined,
        auth: (init.headers as Record<string, string>).authorization,
      });
      // 办税记录 (tests/unit/web/company-records.test.tsx) loads beside the forms: none, unless scripted.
      const none: Answer = path.endsWith("/records")
        ? [200, { records: [], next: null }]
        : [404, { code: "UNKNOWN_MESSAGE", message: "?" }];
      const [status, body] = answers[`${method} ${path}`]?.shift() ?? none;
      return new Response(body === undefined ? null : JSON.stringify(body), { status });
    }),
  );
  return calls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const store = sessionStore(() => localStorage, "test.session");

function show(onLoggedOut = vi.fn()) {
  store.set(SESSION);
  render(<CompanyAdmin session={SESSION} store={store} onLoggedOut={onLoggedOut} layout="portal" />);
  return onLoggedOut;
}

async function openDetail() {
  fireEvent.click(await screen.findByRole("button", { name: "查看详情" }));
}

/** A field by its label (a required one starts with *). */
const input = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(new RegExp(`^\\*?${label}$`)), { target: { value } });

describe("the company list", () => {
  it("shows each company with the person's roles", async () => {
    const calls = hub({ "GET /api/app/me": [[200, me(["legal_rep", "handler"])]] });
    show();
    expect(await screen.findByText("北京示例科技有限公司")).toBeTruthy();
    expect(screen.getByText("法定代表人")).toBeTruthy();
    expect(screen.getByText("办税人员")).toBeTruthy();
    expect(calls[0]?.auth).toBe("Bearer tok");
  });

  it("forgets a session the hub no longer knows and asks to log in again", async () => {
    hub({ "GET /api/app/me": [[401, { code: "SESSION_EXPIRED", message: "登录已过期，请重新登录" }]] });
    const onLoggedOut = show();
    await waitFor(() => expect(onLoggedOut).toHaveBeenCalled());
    expect(store.get()).toBeNull();
  });
});

describe("what each role is offered", () => {
  it.each([
    [["legal_rep"], true, true],
    [["finance_manager"], false, true],
    [["handler", "authorized"], false, false],
  ])("%j: 办税授权 %s, 重置申报密码 and 办税记录 %s", async (roles, grants, resets) => {
    hub({ "GET /api/app/me": [[200, me(roles)]], [`GET ${base}/authorizations`]: [[200, []]] });
    show();
    await openDetail();
    await screen.findByText("北京示例科技有限公司");
    expect(screen.queryByRole("heading", { name: "办税授权" }) !== null).toBe(grants);
    expect(screen.queryByRole("heading", { name: "重置申报密码" }) !== null).toBe(resets);
    expect(screen.queryByRole("heading", { name: "办税记录" }) !== null).toBe(resets);
  });
});

describe("办税授权", () => {
  const row = {
    id: "7d0c2b51-2f5e-4f43-9d2a-3c1a8b2f0e11",
    maskedName: "*四",
    maskedIdNumber: "3101**********0036",
    idType: "居民身份证",
    grantedAt: "2024-03-01T01:00:00Z",
  };
  /** The hub a legal representative meets: the authorizations as each list call finds them, and `more`. */
  const legalRepHub = (lists: unknown[][], more: Record<string, Answer[]>) =>
    hub({
      "GET /api/app/me": [[200, me(["legal_rep"])]],
      [`GET ${base}/authorizations`]: lists.map((list): Answer => [200, list]),
      ...more,
    });

  it("grants a handler by name and ID, then lists them", async () => {
    const calls = legalRepHub([[], [row]], { [`POST ${base}/authorizations`]: [[201, row]] });
    show();
    await openDetail();
    expect(await screen.findByText("暂无已授权的办税人员")).toBeTruthy();
    input("办税人员姓名", "李四");
    input("证件号码", "310104198811020036");
    fireEvent.click(screen.getByRole("button", { name: "授权" }));
    expect(await screen.findByText("已为*四办理办税授权")).toBeTruthy();
    expect(await screen.findByText("3101**********0036")).toBeTruthy();
    expect(screen.getByText("2024-03-01 09:00")).toBeTruthy();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      name: "李四",
      idType: "居民身份证",
      idNumber: "310104198811020036",
    });
  });

  it("revokes after a second, explicit tap", async () => {
    const calls = legalRepHub([[row], []], {
      [`DELETE ${base}/authorizations/${row.id}`]: [[200, { sessionsEnded: 0 }]],
    });
    show();
    await openDetail();
    fireEvent.click(await screen.findByRole("button", { name: "解除授权" }));
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "确认解除" }));
    expect(await screen.findByText("已解除*四的办税授权")).toBeTruthy();
    expect(await screen.findByText("暂无已授权的办税人员")).toBeTruthy();
  });

  it("shows the hub's refusal as it is", async () => {
    legalRepHub([[]], {
      [`POST ${base}/authorizations`]: [
        [404, { code: "PERSON_NOT_FOUND", message: "身份信息有误或该证件尚未注册" }],
      ],
    });
    show();
    await openDetail();
    await screen.findByText("暂无已授权的办税人员");
    input("办税人员姓名", "李四");
    input("证件号码", "310104198811020036");
    fireEvent.click(screen.getByRole("button", { name: "授权" }));
    expect((await screen.findByRole("alert")).textContent).toBe("身份信息有误或该证件尚未注册");
  });
});

describe("重置申报密码", () => {
  it("sends the code to the bound phone, then resets with the password typed twice", async () => {
    const calls = hub({
      "GET /api/app/me": [[200, me(["finance_manager"])]],
      [`POST ${base}/declaration-password/sms`]: [[200, SMS_SENT]],
      [`POST ${base}/declaration-password`]: [[200, { wasLocked: false }]],
    });
    show();
    await openDetail();
    fireEvent.click(await screen.findByRole("button", { name: "获取验证码" }));
    expect(await screen.findByText("验证码已发送至您绑定的手机 138****5678")).toBeTruthy();
    input("新申报密码", "Abcd1234");
    input("确认新申报密码", "Abcd1234");
    input("短信验证码", "123456");
    fireEvent.click(screen.getByRole("button", { name: "确认重置" }));
    expect(await screen.findByText(/申报密码已重置/)).toBeTruthy();
    expect(calls.at(-1)?.body).toEqual({ password: "Abcd1234", confirm: "Abcd1234", smsCode: "123456" });
  });

  it("says a phone must be bound first when there is none", async () => {
    hub({
      "GET /api/app/me": [[200, me(["legal_rep"])]],
      [`GET ${base}/authorizations`]: [[200, []]],
      [`POST ${base}/declaration-password/sms`]: [
        [409, { code: "PHONE_NOT_BOUND", message: "您账户的手机号码尚未绑定，请先进入安全中心绑定手机" }],
      ],
    });
    show();
    await openDetail();
    fireEvent.click(await screen.findByRole("button", { name: "获取验证码" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "您账户的手机号码尚未绑定，请先进入安全中心绑定手机",
    );
  });

  it("refuses a declaration password outside the rules before asking the hub", async () => {
    const calls = hub({ "GET /api/app/me": [[200, me(["finance_manager"])]] });
    show();
    await openDetail();
    await screen.findByRole("button", { name: "确认重置" });
    input("新申报密码", "short");
    input("确认新申报密码", "short");
    input("短信验证码", "123456");
    fireEvent.click(screen.getByRole("button", { name: "确认重置" }));
    expect((await screen.findByRole("alert")).textContent).toBe("申报密码为8-20位大小写字母和数字，不含空格");
    expect(calls.filter((c) => c.path.endsWith("/declaration-password"))).toEqual([]);
  });
});
