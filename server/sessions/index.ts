import type { Bus } from "../bus";
import type { ClientSockets } from "../ws/server";
import { SESSION_ENDED_TOPIC, SessionEndedNotice } from "./notify";
import { ClientSessions, type SessionSocketDeps } from "./socket";

export { type Caller, callerOf } from "./caller";
export { DbSessionIssuer, type SessionIssuer } from "./issuer";
export { busNotifier, type SessionEndNotifier } from "./notify";
export { ClientSessions, type SessionSocketDeps } from "./socket";
export { SessionStore } from "./store";

// Who is logged in, everywhere (one table, `sessions`, written only by ./store.ts): the pure rules
// (./rules.ts: 30 idle minutes, 8 hours), the issuer of client sessions (./issuer.ts), the notice that
// closes ended sessions' sockets on every node (./notify.ts), the socket's part (below, ./socket.ts)
// and the HTTP caller (./caller.ts).
//
//   message               needs          answers
//   logout                logged in      session.ended (logout)
//   hello.resume.session  —              session (+ company.entered) | error SESSION_EXPIRED
//   bus session.ended     —              this node's sockets of those sessions: session.ended + close
export async function registerSessions(
  d: SessionSocketDeps & { bus: Bus },
  sockets: ClientSockets,
): Promise<ClientSessions> {
  const sessions = new ClientSessions(d, sockets);
  const stop = await d.bus.subscribe(SESSION_ENDED_TOPIC, (payload) => {
    const notice = SessionEndedNotice.safeParse(safeJson(payload));
    if (notice.success) sockets.endSessionsHere(notice.data);
    else d.log.warn("malformed session.ended notice ignored");
  });
  sockets.onShutdown(stop);
  sockets.registerHandler("logout", (conn, msg) => sessions.logout(conn, msg.rid));
  sockets.onHello((conn, hello) =>
    hello.resume?.session ? sessions.resume(conn, hello.resume.session) : undefined,
  );
  sockets.onLogin((conn) => sessions.watch(conn));
  sockets.onClose((conn) => sessions.unwatch(conn));
  return sessions;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
