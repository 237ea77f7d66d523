import { describe, expect, it } from "vitest";
import { parseHubUrl, portalLinks, socketUrl } from "../../../extension/core/hub-url";

describe("the hub address in the options page", () => {
  it.each([
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["  https://hub.example.cn/  ", "https://hub.example.cn"],
    ["https://hub.example.cn/tax/", "https://hub.example.cn/tax"],
    ["http://localhost:8080/?x=1#y", "http://localhost:8080"],
  ])("accepts %s as %s", (input, url) => {
    expect(parseHubUrl(input)).toEqual({ ok: true, url });
  });

  it.each([
    ["", "请输入以 http:// 或 https:// 开头的完整网址"],
    ["127.0.0.1:8080", "请输入以 http:// 或 https:// 开头的完整网址"],
    ["localhost:8080", "服务地址只支持 http:// 或 https://"],
    ["ftp://hub.example.cn", "服务地址只支持 http:// 或 https://"],
    ["ws://hub.example.cn", "服务地址只支持 http:// 或 https://"],
    ["hub.example.cn", "请输入以 http:// 或 https:// 开头的完整网址"],
    ["https://user:pw@hub.example.cn", "服务地址不能包含用户名或密码"],
  ])("refuses %j with a message the person can act on", (input, message) => {
    expect(parseHubUrl(input)).toEqual({ ok: false, message });
  });

  it.each([
    ["http://127.0.0.1:8080", "ws://127.0.0.1:8080/ws"],
    ["https://hub.example.cn", "wss://hub.example.cn/ws"],
    ["https://hub.example.cn/tax", "wss://hub.example.cn/tax/ws"],
  ])("derives the socket of %s: %s", (hub, ws) => {
    expect(socketUrl(hub)).toBe(ws);
  });

  it("derives the portal and phone pages from the hub address", () => {
    expect(portalLinks("http://127.0.0.1:8080")).toEqual({
      register: "http://127.0.0.1:8080/web/register",
      forgotPassword: "http://127.0.0.1:8080/web/forgot-password",
      declarationReset: "http://127.0.0.1:8080/web/declaration-password",
      appDownload: "http://127.0.0.1:8080/app/download",
    });
  });
});
