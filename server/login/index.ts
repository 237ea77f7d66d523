import { CompanySteps } from "../company/socket";
import type { ClientSockets } from "../ws/server";
import type { HandshakeDeps } from "./deps";
import "./events";
import { ClientSessions } from "../sessions/socket";
import { loginByPassword, newCaptcha } from "./socket";

export type { HandshakeDeps } from "./deps";

// The client handshake on the socket (seed 1.1, 1.3): every message of the login and company steps,
// registered with the socket layer. QR login (seed 1.2) is server/qr's; its sessions come through the
// same issuer and are watched the same way.
//
//   message               needs          answers
//   login.password        not logged in  session | error (captchaRequired, attemptsLeft, lock + links)
//   captcha.new           —              captcha
//   logout                logged in      session.ended (logout)
//   company.list          logged in      company.list.result
//   company.add           no company     company.entered | error (declaration refusals)
//   declaration.verify    no company     company.entered | error
//   authorization.enter   no company     company.entered | error
//   ca.challenge          no company     ca.challenge.result | error (CA_NOT_OFFERED…)
//   ca.verify             no company     company.entered | error
//   company.switch        logged in      company.list.result
//   hello.resume.session  —              session (+ company.entered) | error SESSION_EXPIRED
export function startHandshake(d: HandshakeDeps, sockets: ClientSockets): ClientSessions {
  const sessions = new ClientSessions(d, sockets);
  const companies = new CompanySteps(d, sessions);
  sockets.registerHandler("login.password", (conn, msg) => loginByPassword(d, sockets, conn, msg));
  sockets.registerHandler("captcha.new", (conn, msg) => newCaptcha(d, conn, msg));
  sockets.registerHandler("logout", (conn, msg) => sessions.logout(conn, msg.rid));
  sockets.registerHandler("company.list", (conn, msg) => companies.list(conn, msg));
  sockets.registerHandler("company.add", (conn, msg) => companies.add(conn, msg));
  sockets.registerHandler("declaration.verify", (conn, msg) => companies.declaration(conn, msg));
  sockets.registerHandler("authorization.enter", (conn, msg) => companies.authorization(conn, msg));
  sockets.registerHandler("ca.challenge", (conn, msg) => companies.caChallenge(conn, msg));
  sockets.registerHandler("ca.verify", (conn, msg) => companies.caVerify(conn, msg));
  sockets.registerHandler("company.switch", (conn, msg) => companies.switchCompany(conn, msg));
  sockets.onHello((conn, hello) =>
    hello.resume?.session ? sessions.resume(conn, hello.resume.session) : undefined,
  );
  sockets.onLogin((conn) => sessions.watch(conn));
  sockets.onClose((conn) => sessions.unwatch(conn));
  return sessions;
}
