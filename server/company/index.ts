import type { ClientSessions } from "../sessions/socket";
import type { ClientSockets } from "../ws/server";
import type { CompanyDeps } from "./deps";
import { CompanySteps } from "./socket";

export type { CompanyDeps, CompanyRoutesDeps } from "./deps";
export { companyRoutes } from "./routes";

// seed 1.3 单位办税验证 on the client socket (./socket.ts), and 「企业办税权限」 for the legal
// representative and the finance manager over HTTP (./routes.ts). The rules are in ./rules.ts; the
// tables (companies, bindings, authorizations) are written only by ./store.ts.
//
//   message               needs          answers
//   company.list          logged in      company.list.result
//   company.add           no company     company.entered | error (declaration refusals)
//   declaration.verify    no company     company.entered | error
//   authorization.enter   no company     company.entered | error
//   ca.challenge          no company     ca.challenge.result | error (CA_NOT_OFFERED…)
//   ca.verify             no company     company.entered | error
//   company.switch        logged in      company.list.result
export function registerCompany(d: CompanyDeps, sockets: ClientSockets, sessions: ClientSessions): void {
  const companies = new CompanySteps(d, sessions);
  sockets.registerHandler("company.list", (conn, msg) => companies.list(conn, msg));
  sockets.registerHandler("company.add", (conn, msg) => companies.add(conn, msg));
  sockets.registerHandler("declaration.verify", (conn, msg) => companies.declaration(conn, msg));
  sockets.registerHandler("authorization.enter", (conn, msg) => companies.authorization(conn, msg));
  sockets.registerHandler("ca.challenge", (conn, msg) => companies.caChallenge(conn, msg));
  sockets.registerHandler("ca.verify", (conn, msg) => companies.caVerify(conn, msg));
  sockets.registerHandler("company.switch", (conn, msg) => companies.switchCompany(conn, msg));
}
