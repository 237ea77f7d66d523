// Close codes of the client socket (4000–4999 are the application's), each with its reconnect policy.
export const CLOSE = {
  /** The hub is going away (restart, deploy): reconnect at once, elsewhere if possible. */
  GOING_AWAY: { code: 1001, reconnect: true },
  /** This node is draining (SIGTERM): reconnect now, with no backoff; the balancer sends the client elsewhere. */
  SERVICE_RESTART: { code: 1012, reconnect: true },
  /** A frame over MAX_FRAME_BYTES. */
  TOO_LARGE: { code: 1009, reconnect: false },
  /** No hello in time, or a bad first message. */
  HELLO_REQUIRED: { code: 4000, reconnect: false },
  VERSION_UNSUPPORTED: { code: 4001, reconnect: false },
  /** Too many malformed messages or a flood: back off before reconnecting. */
  POLICY: { code: 4008, reconnect: true },
  /** Heartbeat missed: the hub assumes the client is gone. */
  HEARTBEAT_TIMEOUT: { code: 4010, reconnect: true },
  /** The session ended elsewhere (logout, password reset, revoked authorization). */
  SESSION_ENDED: { code: 4020, reconnect: false },
  /** The hub is temporarily unable to serve (bus or store down). */
  UNAVAILABLE: { code: 4503, reconnect: true },
} as const;

export type CloseName = keyof typeof CLOSE;

/** Closes after which a client reconnects at once instead of backing off (a draining node's 1012). */
export function reconnectAtOnce(code: number): boolean {
  return code === CLOSE.SERVICE_RESTART.code;
}

export function shouldReconnect(code: number): boolean {
  if (code === 1000) return false;
  for (const entry of Object.values(CLOSE)) if (entry.code === code) return entry.reconnect;
  return true; // abnormal closures (1006 etc.): the network, not us
}
