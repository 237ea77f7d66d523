// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiResult } from "../../../server/web/common/api";
import { CompanyRecordsSection } from "../../../server/web/common/company-records";
import {
  recordEvent,
  recordFrom,
  recordHow,
  recordTime,
  recordWho,
} from "../../../server/web/common/records";
import type { CompanyRecord } from "../../../shared/api/app";

// 办税记录 as the phone and the portal show it: the words for each record (unit), and the section
// paging through a scripted hub with 「加载更多」.

const TAX_ID = "91110108MA01XXXX0X";
const who = { maskedName: "*芳", idType: "居民身份证" as const, maskedIdNumber: "1101**********4514" };

const entered = (over: Partial<CompanyRecord> = {}): CompanyRecord => ({
  id: "1",
  kind: "entered",
  at: "2024-03-01T01:02:00.000Z",
  who,
  login: "qr",
  via: "authorization",
  locked: false,
  address: "114.114.114.*",
  region: "江苏省 南京市",
  ...over,
});
const wrong = (over: Partial<CompanyRecord> = {}): CompanyRecord =>
  entered({ kind: "password_wrong", login: null, via: null, ...over });

describe("the words of a record", () => {
  it("gives the time in Beijing, whatever the device's zone", () => {
    expect(recordTime(entered())).toBe("2024-03-01 09:02");
    // 16:30 UTC is already the next day in Beijing.
    expect(recordTime(entered({ at: "2024-02-29T16:30:00.000Z" }))).toBe("2024-03-01 00:30");
  });

  it("names the person masked, with the ID type", () => {
    expect(recordWho(entered())).toBe("*芳（居民身份证 1101**********4514）");
    expect(recordWho(entered({ who: null }))).toBe("—");
  });

  it.each<[string, Partial<CompanyRecord>, string]>([
    ["QR login, authorization", { login: "qr", via: "authorization" }, "扫码登录 · 办税授权"],
    [
      "password login, declaration password",
      { login: "password", via: "declaration_password" },
      "账号密码登录 · 申报密码",
    ],
    ["password login, CA", { login: "password", via: "ca" }, "账号密码登录 · CA"],
    ["an older row without the login", { login: null, via: "declaration_password" }, "申报密码"],
    ["nothing recorded", { login: null, via: null }, "—"],
  ])("says how: %s", (_what, over, text) => {
    expect(recordHow(entered(over))).toBe(text);
  });

  it("says what happened, and that a wrong try locked the declaration password", () => {
    expect(recordEvent(entered())).toBe("进入单位");
    expect(recordEvent(wrong())).toBe("申报密码错误");
    expect(recordEvent(wrong({ locked: true }))).toBe("申报密码错误（已锁定）");
    expect(recordHow(wrong())).toBe("申报密码");
  });

  it("gives the masked address and 所在地, 未知 when not known", () => {
    expect(recordFrom(entered())).toEqual({ address: "114.114.114.*", region: "江苏省 南京市" });
    expect(recordFrom(entered({ address: null, region: null }))).toEqual({ address: "未知", region: "未知" });
  });
});

type Answer = [status: number, body?: unknown];

function hub(answers: Record<string, Answer[]>) {
  const calls: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (path: string) => {
      calls.push(path);
      const [status, body] = answers[path]?.shift() ?? [404, { code: "UNKNOWN_MESSAGE", message: "?" }];
      return new Response(body === undefined ? null : JSON.stringify(body), { status });
    }),
  );
  return calls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const guard = <T,>(r: ApiResult<T>): r is { ok: true; data: T } => r.ok;
const path = `/api/app/companies/${TAX_ID}/records`;

describe("the 办税记录 section", () => {
  it("lists the records on the phone, newest first, and loads older ones with 加载更多", async () => {
    const calls = hub({
      [path]: [
        [
          200,
          {
            records: [entered(), wrong({ id: "2", at: "2024-03-01T01:00:00.000Z" })],
            next: "1709254800000-2",
          },
        ],
      ],
      [`${path}?before=1709254800000-2`]: [
        [
          200,
          { records: [entered({ id: "3", at: "2024-02-29T01:00:00.000Z", login: "password" })], next: null },
        ],
      ],
    });
    render(<CompanyRecordsSection taxId={TAX_ID} token="tok" guard={guard} layout="app" />);
    const items = async () => (await screen.findAllByRole("listitem")).map((li) => li.textContent);
    expect(await items()).toEqual([
      expect.stringMatching(
        /^进入单位2024-03-01 09:02\*芳（居民身份证 1101\*\*\*\*\*\*\*\*\*\*4514）扫码登录 · 办税授权114\.114\.114\.\* 江苏省 南京市$/,
      ),
      expect.stringContaining("申报密码错误2024-03-01 09:00"),
    ]);
    fireEvent.click(screen.getByRole("button", { name: "加载更多" }));
    await screen.findByText("账号密码登录 · 办税授权");
    expect(await items()).toHaveLength(3);
    expect(screen.queryByRole("button", { name: "加载更多" })).toBeNull();
    expect(calls).toEqual([path, `${path}?before=1709254800000-2`]);
  });

  it("shows a table on the portal", async () => {
    hub({ [path]: [[200, { records: [entered()], next: null }]] });
    render(<CompanyRecordsSection taxId={TAX_ID} token="tok" guard={guard} layout="portal" />);
    const table = await screen.findByRole("table");
    const [head, row] = within(table).getAllByRole("row");
    expect(
      within(head as HTMLElement)
        .getAllByRole("columnheader")
        .map((c) => c.textContent),
    ).toEqual(["时间", "办税人员", "事项", "方式", "IP地址", "所在地"]);
    expect(
      within(row as HTMLElement)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual([
      "2024-03-01 09:02",
      "*芳（居民身份证 1101**********4514）",
      "进入单位",
      "扫码登录 · 办税授权",
      "114.114.114.*",
      "江苏省 南京市",
    ]);
  });

  it("says so when there are none, and shows the hub's refusal as it is", async () => {
    hub({ [path]: [[200, { records: [], next: null }]] });
    render(<CompanyRecordsSection taxId={TAX_ID} token="tok" guard={guard} layout="app" />);
    await screen.findByText("暂无办税记录");
    cleanup();
    const message = "只有税务登记的法定代表人或财务经理可以进行此操作";
    hub({ [path]: [[403, { code: "NOT_LEGAL_REP_OR_FINANCE", message }]] });
    render(<CompanyRecordsSection taxId={TAX_ID} token="tok" guard={guard} layout="app" />);
    expect((await screen.findByRole("alert")).textContent).toBe(message);
  });
});
