import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { call, isLoggedOut, NETWORK_FAILURE } from "../../../server/web/common/api";

const json = (status: number, body: unknown) =>
  vi.fn().mockResolvedValue(new Response(JSON.stringify(body), { status }));

describe("calling the hub", () => {
  it("parses a success with the given schema", async () => {
    const fetch = json(200, { token: "t", extra: 1 });
    const r = await call("/api/x", { body: { a: 1 }, schema: z.object({ token: z.string() }), fetch });
    expect(r).toEqual({ ok: true, data: { token: "t" } });
    const [path, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(path).toBe("/api/x");
    expect(init.method).toBe("POST");
    expect(init.body).toBe('{"a":1}');
    expect(init.headers).toMatchObject({ "content-type": "application/json" });
  });

  it("sends the app session as a Bearer token", async () => {
    const fetch = json(200, {});
    await call("/api/app/me", { token: "abc", fetch });
    const [, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(init.method).toBe("GET");
    expect(init.headers).toMatchObject({ authorization: "Bearer abc" });
  });

  it("hands on the hub's error body as it is, with the fields a page uses", async () => {
    const body = {
      code: "ACCOUNT_LOCKED",
      message: "密码错误超过5次（含），账号已被锁定",
      minutesLeft: 117,
      links: [{ label: "忘记密码", url: "/web/forgot-password" }],
      unknownField: true,
    };
    const r = await call("/api/app/login", { body: {}, fetch: json(423, body) });
    expect(r).toEqual({
      ok: false,
      status: 423,
      error: {
        code: "ACCOUNT_LOCKED",
        message: "密码错误超过5次（含），账号已被锁定",
        minutesLeft: 117,
        links: [{ label: "忘记密码", url: "/web/forgot-password" }],
      },
    });
  });

  it("says the network failed when nothing answered", async () => {
    const r = await call("/api/x", { fetch: vi.fn().mockRejectedValue(new TypeError("Failed to fetch")) });
    expect(r).toEqual({ ok: false, status: 0, error: NETWORK_FAILURE });
    expect(NETWORK_FAILURE.message).toBe("网络连接失败，请检查网络后重试");
  });

  it.each([
    ["an error that is not JSON", 502, "Bad Gateway"],
    ["an error without a code", 500, { message: "x" }],
  ])("shows the hub as busy for %s", async (_, status, body) => {
    const fetch = vi
      .fn()
      .mockResolvedValue(new Response(typeof body === "string" ? body : JSON.stringify(body), { status }));
    const r = await call("/api/x", { fetch });
    expect(r).toMatchObject({ ok: false, error: { code: "INTERNAL", message: "系统繁忙，请稍后再试" } });
  });

  it("refuses a success whose body does not have the expected shape", async () => {
    const r = await call("/api/x", {
      schema: z.object({ token: z.string() }),
      fetch: json(200, { nope: 1 }),
    });
    expect(r).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
  });
});

describe("a lost session", () => {
  it.each([
    [401, "ANYTHING", true],
    [400, "SESSION_EXPIRED", true],
    [400, "PHONE_LOGIN_REQUIRED", true],
    [409, "TICKET_USED", false],
  ])("status %i with %s means logged out: %s", (status, code, out) => {
    expect(isLoggedOut({ ok: false, status, error: { code, message: "m" } })).toBe(out);
  });
});
