// @vitest-environment happy-dom
import { fireEvent, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { formatTime } from "../../../../extension/components/labels";
import { COMPANIES, SESSION, show, view } from "./fixtures";

const BJ = COMPANIES[0] as (typeof COMPANIES)[0];
const inside = (over = {}) =>
  view({
    stage: "workspace",
    session: SESSION,
    entered: { taxId: BJ.taxId, name: BJ.name, via: "declaration_password" },
    ...over,
  });

const fact = (term: string) => screen.getByText(term, { selector: "dt" }).nextElementSibling?.textContent;

describe("formatTime", () => {
  it("shows Beijing time to the minute, whatever the instant's zone; nothing for a bad one", () => {
    expect(formatTime("2025-03-01T00:30:00Z")).toBe("2025-03-01 08:30");
    expect(formatTime("2025-02-28T23:59:59-08:00")).toBe("2025-03-01 15:59");
    expect(formatTime("not a time")).toBe("");
  });
});

describe("the workspace", () => {
  it("shows who is in (their own name whole, the ID masked), which company, how, and until when", () => {
    show(inside());
    expect(screen.getByText("登录成功")).toBeTruthy();
    expect(fact("办税人员")).toBe("张三");
    expect(fact("证件号码")).toBe("1101**********4514居民身份证");
    expect(fact("当前单位")).toBe(BJ.name);
    expect(fact("纳税人识别号")).toBe(BJ.taxId);
    expect(fact("登录方式")).toBe("账号密码登录");
    expect(fact("单位验证")).toBe("申报密码");
    expect(fact("登录有效期至")).toBe("2025-03-01 16:30"); // Beijing time, whatever the PC's zone
    expect(fact("登录有效期至")).toMatch(/^2025-03-01 \d\d:30$/);
  });

  it("shows a foreign name as it is, not 「*********H」", () => {
    const handler = {
      name: "JOHN SMITH",
      maskedName: "*********H",
      maskedIdNumber: "E1*****78",
      idType: "外国护照",
    };
    show(inside({ session: { ...SESSION, handler } }));
    expect(fact("办税人员")).toBe("JOHN SMITH");
    expect(screen.queryByText("*********H")).toBeNull();
  });

  it.each([
    ["qr", "authorization", "扫码登录", "办税授权"],
    ["password", "ca", "账号密码登录", "CA"],
  ] as const)("names a %s login entered by %s", (method, via, login, enter) => {
    show(inside({ session: { ...SESSION, method }, entered: { taxId: BJ.taxId, name: BJ.name, via } }));
    expect(fact("登录方式")).toBe(login);
    expect(fact("单位验证")).toBe(enter);
  });

  it("切换单位 and 退出 do what they say", () => {
    const { act } = show(inside());
    fireEvent.click(screen.getByRole("button", { name: "切换单位" }));
    fireEvent.click(screen.getByRole("button", { name: "退出" }));
    expect(act.mock.calls).toEqual([[{ type: "company.switch" }], [{ type: "logout" }]]);
  });
});

describe("a minute before the 30 idle minutes end", () => {
  const idleIn = (seconds: number, endIn = 3600) => {
    const now = Date.now();
    return inside({
      session: {
        ...SESSION,
        idleExpiresAt: new Date(now + seconds * 1000).toISOString(),
        expiresAt: new Date(now + endIn * 1000).toISOString(),
      },
    });
  };

  it("says nothing while more than a minute is left", () => {
    show(idleIn(5 * 60));
    expect(screen.queryByText(/长时间未操作/)).toBeNull();
  });

  it("warns with the seconds left and 继续使用, which counts as activity", () => {
    const { act } = show(idleIn(45));
    expect(screen.getByRole("alert").textContent).toMatch(/^您已长时间未操作，将在(44|45)秒后退出登录/);
    fireEvent.click(screen.getByRole("button", { name: "继续使用" }));
    expect(act).toHaveBeenCalledWith({ type: "session.keep" });
  });

  it("warns on the company step too", () => {
    show({ ...idleIn(30), stage: "company", entered: undefined, companies: COMPANIES });
    expect(screen.getByRole("button", { name: "继续使用" })).toBeTruthy();
  });

  it("offers no 继续使用 at the 8-hour end, which nothing extends", () => {
    show(idleIn(30, 30));
    expect(screen.getByRole("alert").textContent).toMatch(/^登录将在(29|30)秒后到期，请重新登录/);
    expect(screen.queryByRole("button", { name: "继续使用" })).toBeNull();
  });
});
