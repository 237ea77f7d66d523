import type { Duplex } from "node:stream";
import { type ErrorCode, errorBody } from "../../shared/errors";

// Refusing a WebSocket upgrade happens before any WebSocket exists: a plain HTTP answer on the socket.

/** Answers an upgrade request with a plain HTTP refusal before any WebSocket exists. */
export function refuseUpgrade(socket: Duplex, status: number, code: ErrorCode): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(errorBody(code));
  const reason = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    503: "Service Unavailable",
  }[status];
  socket.end(
    `HTTP/1.1 ${status} ${reason ?? "Error"}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The peer's address without the IPv4-mapped prefix. */
export function peerIp(remoteAddress: string | undefined): string {
  return (remoteAddress ?? "unknown").replace(/^::ffff:/, "");
}
