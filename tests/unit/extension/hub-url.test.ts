import { describe, expect, it } from "vitest";
import { parseHubUrl, portalLinks, socketUrl } from "../../../extension/core/hub-url";

describe("the hub address in the options page", () => {
  const FULL = "请输入以 http:// 或 https:// 开头的完整网址";
  const SCHEME = "服务地址只支持 http:// 或 https://";
  // Accepted as the URL the extension keeps; refused with a message the person can act on.
  it.each<[string, ReturnType<typeof parseHubUrl>]>([
    ["http://127.0.0.1:8080", { ok: true, url: "http://127.0.0.1:8080" }],
    ["  https://hub.example.cn/  ", { ok: true, url: "https://hub.example.cn" }],
    ["https://hub.example.cn/tax/", { ok: true, url: "https://hub.example.cn/tax" }],
    ["http://localhost:8080/?x=1#y", { ok: true, url: "http://localhost:8080" }],
    ["", { ok: false, message: FULL }],
    ["127.0.0.1:8080", { ok: false, message: FULL }],
    ["localhost:8080", { ok: false, message: SCHEME }],
    ["ftp://hub.example.cn", { ok: false, message: SCHEME }],
    ["ws://hub.example.cn", { ok: false, message: SCHEME }],
    ["hub.example.cn", { ok: false, message: FULL }],
    ["https://user:pw@hub.example.cn", { ok: false, message: "服务地址不能包含用户名或密码" }],
  ])("reads %j as %o", (input, result) => {
    expect(parseHubUrl(input)).toEqual(result);
  });

  it.each(
    Object.entries({
      "http://127.0.0.1:8080": "ws://127.0.0.1:8080/ws",
      "https://hub.example.cn": "wss://hub.example.cn/ws",
      "https://hub.example.cn/tax": "wss://hub.example.cn/tax/ws",
    }),
  )("derives the socket of %s: %s", (hub, ws) => expect(socketUrl(hub)).toBe(ws));

  it("derives the portal and phone pages from the hub address", () => {
    expect(portalLinks("http://127.0.0.1:8080")).toEqual({
      register: "http://127.0.0.1:8080/web/register",
      forgotPassword: "http://127.0.0.1:8080/web/forgot-password",
      declarationReset: "http://127.0.0.1:8080/web/declaration-password",
      appDownload: "http://127.0.0.1:8080/app/download",
    });
  });
});
