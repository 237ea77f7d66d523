import type { Server } from "node:http";

/**
 * Stops accepting connections and lets the requests in flight finish, for at most `graceMs`; then cuts
 * whatever is left. Keep-alive connections with no request in flight would hold `close()` open, so
 * they are closed at once and again as each request in flight ends (its answer carries
 * `Connection: close` meanwhile, see server/http/app.ts). Resolves with whether anything was cut.
 */
export async function closeHttp(server: Server, graceMs: number): Promise<{ cut: boolean }> {
  if (!server.listening) return { cut: false };
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 25);
  let cut = false;
  const timer = setTimeout(() => {
    cut = true;
    server.closeAllConnections();
  }, graceMs);
  try {
    await closed;
  } finally {
    clearInterval(idle);
    clearTimeout(timer);
  }
  return { cut };
}

/** Thrown by startHub when asked to stop (a signal) before it was ready; it has closed what it opened. */
export class StartAborted extends Error {
  constructor() {
    super("start aborted");
    this.name = "StartAborted";
  }
}
