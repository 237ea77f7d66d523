import type { ClientSockets } from "../ws/server";
import type { LoginDeps } from "./deps";
import { loginByPassword, newCaptcha } from "./socket";

export type { LoginDeps } from "./deps";
export { loginRoutes } from "./routes";

// seed 1.1 账号密码登录, on the client socket (below) and for the phone app and the portal over HTTP
// (./routes.ts). Both run passwordLogin (./password-login.ts): lookup, captcha, reserve-before-verify lock.
//
//   message               needs          answers
//   login.password        not logged in  session | error (captchaRequired, attemptsLeft, lock + links)
//   captcha.new           —              captcha
export function registerLogin(d: LoginDeps, sockets: ClientSockets): void {
  sockets.registerHandler("login.password", (conn, msg) => loginByPassword(d, sockets, conn, msg));
  sockets.registerHandler("captcha.new", (conn, msg) => newCaptcha(d, conn, msg));
}
