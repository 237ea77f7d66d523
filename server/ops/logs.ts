import { type DestinationStream, type Logger, pino } from "pino";
import type { HubEvent } from "../../shared/events";
import type { EventStream } from "../events";

// The hub's log: JSON lines through pino on stdout. What happens to people — each login and its
// result, each QR step, each lock, each hall action — is one line at info, made from the same event
// the event console shows (already masked: server/events/masking.ts, enforced by server/events/kinds.ts).
// `redact` is the second fence: a secret-named field anywhere in a line is censored whoever logs it.

const SECRET_KEYS = [
  "password",
  "newPassword",
  "oldPassword",
  "declarationPassword",
  "token",
  "accessToken",
  "secret",
  "grant",
  "grantHash",
  "answer",
  "smsCode",
  "hallCode",
  "adminToken",
  "operatorToken",
  "authorization",
  "cookie",
];

/** Each secret-named key at the top of a line, one level down (`data.password`) and two down (`req.headers.cookie`). */
export const LOG_REDACT: string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** The hub's logger: stdout unless `destination` is given (tests read what it wrote). */
export function hubLogger(level: string, nodeId: string, destination?: DestinationStream): Logger {
  const options = { level, base: { node: nodeId }, redact: { paths: LOG_REDACT, censor: "[redacted]" } };
  return destination ? pino(options, destination) : pino(options);
}

/** Kinds that become a log line: logins, QR transitions, locks, hall actions. */
const LOGGED =
  /^(login|qr|hall)\.|^(declaration\.locked|lockout\.cleared|password\.reset|declaration\.reset)$/;

export function isLogged(kind: string): boolean {
  return LOGGED.test(kind);
}

/** One info line per logged event this node emits: `{"event":"qr.scanned","data":{…},"msg":"qr.scanned"}`. */
export function logEvents(stream: Pick<EventStream, "tap">, log: Logger): () => void {
  return stream.tap((e: HubEvent) => {
    if (isLogged(e.kind)) log.info({ event: e.kind, data: e.data }, e.kind);
  });
}
