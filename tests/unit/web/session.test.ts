// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { loginPath, safeNext, sessionStore } from "../../../server/web/common/session";

const session = (expiresAt: string) => ({
  token: "token_0123456789abcdefghij",
  expiresAt,
  person: {
    name: "张三",
    maskedName: "*三",
    maskedIdNumber: "1101**********4514",
    idType: "居民身份证" as const,
  },
});

afterEach(() => localStorage.clear());

describe("the stored app session", () => {
  const now = Date.parse("2024-03-01T09:00:00Z");
  const store = sessionStore(
    () => localStorage,
    "k",
    () => now,
  );

  it("is read back while it lasts", () => {
    store.set(session("2024-03-01T10:00:00Z"));
    expect(store.get()?.token).toBe("token_0123456789abcdefghij");
  });

  it("is gone once it expired", () => {
    store.set(session("2024-03-01T08:59:59Z"));
    expect(store.get()).toBeNull();
  });

  it.each([["not json"], ['{"token":"t"}'], ["null"]])("is nothing when the stored value is %s", (raw) => {
    localStorage.setItem("k", raw);
    expect(store.get()).toBeNull();
  });

  it("is forgotten on clear, and a page listening hears of it", () => {
    let heard = 0;
    window.addEventListener("shiming:session", () => heard++);
    store.set(session("2024-03-01T10:00:00Z"));
    store.clear();
    expect(store.get()).toBeNull();
    expect(heard).toBe(2);
  });

  it("is nothing when the browser refuses storage", () => {
    const refusing = sessionStore(() => {
      throw new Error("SecurityError");
    }, "k");
    expect(() => refusing.set(session("2030-01-01T00:00:00Z"))).not.toThrow();
    expect(refusing.get()).toBeNull();
  });
});

describe("where to go after logging in", () => {
  it.each([
    ["/app/qr/abc", "/app/qr/abc"],
    ["/app", "/app"],
    ["/app/company", "/app/company"],
    [null, "/app"],
    ["", "/app"],
    ["https://evil.example/app", "/app"],
    ["//evil.example/app", "/app"],
    ["/app//evil.example", "/app"],
    ["/application", "/app"],
    ["/web/company", "/app"],
    ["/app/\\evil", "/app"],
  ])("next=%s goes to %s", (next, to) => {
    expect(safeNext(next, "/app")).toBe(to);
  });

  it("carries the page to come back to in the login link", () => {
    expect(loginPath("/app/login", "/app/qr/abc_DEF")).toBe("/app/login?next=%2Fapp%2Fqr%2Fabc_DEF");
  });
});
