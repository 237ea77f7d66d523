// The hub's address as the person types it in the options page, and the addresses derived from it.
export const DEFAULT_HUB_URL = "http://127.0.0.1:8080";

export type HubUrlResult = { ok: true; url: string } | { ok: false; message: string };

/** Accepts an http(s) URL with a host; keeps its path prefix, drops query, hash and trailing slash. */
export function parseHubUrl(input: string): HubUrlResult {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "请输入以 http:// 或 https:// 开头的完整网址" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, message: "服务地址只支持 http:// 或 https://" };
  }
  if (!url.hostname) return { ok: false, message: "请输入服务地址的主机名" };
  if (url.username || url.password) return { ok: false, message: "服务地址不能包含用户名或密码" };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, "")}` };
}

/** The client socket: same host, ws/wss, path `/ws`. */
export function socketUrl(hubUrl: string): string {
  const url = new URL(hubUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/ws`;
  return url.toString();
}

/** Pages of the hub the client opens in a tab or shows as a QR. */
export function portalLinks(hubUrl: string) {
  const base = hubUrl.replace(/\/+$/, "");
  return {
    // seed 1.1 / 2: 【立即注册】 and 【忘记密码】 open the web portal (自然人办税服务平台WEB端).
    register: `${base}/web/register`,
    forgotPassword: `${base}/web/forgot-password`,
    // seed 1.3.1: 【忘记申报密码】 offers the web portal link and the app's QR.
    declarationReset: `${base}/web/declaration-password`,
    // seed 1.2: 【手机端下载】 shows a QR that opens the phone pages.
    appDownload: `${base}/app/download`,
  };
}
