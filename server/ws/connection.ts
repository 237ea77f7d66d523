import { randomBytes } from "node:crypto";
import type { WebSocket } from "ws";
import { type ErrorCode, errorBody } from "../../shared/errors";
import { CLOSE, type CloseName, type HubMessage, HubToClient, type LoginMethod } from "../../shared/protocol";

type LoginMethodName = (typeof LoginMethod.options)[number];

/** The logged-in person on this socket, once a login finished. */
export interface ConnectionSession {
  id: string;
  personId: string;
  method: LoginMethodName;
  /** The company entered (company.entered), until 切换单位 or logout. */
  company?: Omit<HubMessage<"company.entered">, "type" | "rid"> | null;
}

/** A QR ticket this socket holds: the grant it was pushed (kept to push the same one again), the
 *  last state it was told (so a repeated hint sends nothing new), and while it is live the instants
 *  its expiry and next QR rotation are due (null: none; the node's deadlines check these when they fire). */
export interface HeldTicket {
  readonly id: string;
  grant: string | null;
  pushed: string | null;
  expiresAt: number | null;
  rotateAt: number | null;
  rotateEveryMs: number;
}

/** The tickets one socket holds, oldest first. A few at most, so an exact-size list rather than a Map
 *  (a socket waiting at a QR should cost as few bytes as it can: there are tens of thousands). */
export class HeldTickets {
  private list: readonly HeldTicket[] = [];

  get size(): number {
    return this.list.length;
  }

  get(id: string): HeldTicket | undefined {
    return this.list.find((h) => h.id === id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Replaces the one with the same id in its place, or adds it as the newest. */
  set(hold: HeldTicket): void {
    const i = this.list.findIndex((h) => h.id === hold.id);
    // concat / map make exact-size arrays (a spread or a push leaves room for 16 more).
    this.list = i < 0 ? this.list.concat(hold) : this.list.map((h, j) => (j === i ? hold : h));
  }

  delete(id: string): void {
    if (this.has(id)) this.list = this.list.filter((h) => h.id !== id);
  }

  /** Ids, oldest first. */
  ids(): string[] {
    return this.list.map((h) => h.id);
  }
}

/** One client socket and what the hub knows about it. Capabilities keep their own data in `locals`. */
export class Connection {
  readonly id = randomBytes(4).toString("hex");
  readonly openedAt = Date.now();
  /** Set by hello; null until then. */
  client: { label: string; version: string; os?: string } | null = null;
  session: ConnectionSession | null = null;
  readonly tickets = new HeldTickets();
  /** Answered the last ping. */
  alive = true;
  /** Messages in the current one-second window (pacing), and malformed ones so far. */
  paceStart = 0;
  paceCount = 0;
  paceWarned = false;
  badMessages = 0;
  /** Handlers run one after another, in arrival order. */
  queue: Promise<void> = Promise.resolve();
  closing = false;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    readonly origin: string,
    private readonly closeTimeoutMs: number,
  ) {}

  /**
   * Counts one more `what` on this socket in the minute-long window that its first one opened; the
   * socket's own limits (tickets, captcha images) compare the count. Limits over all nodes use the
   * bus (server/bus/limiter.ts).
   */
  countInWindow(what: string, now: number, windowMs = 60_000): number {
    const w = this.windows?.[what];
    if (!w || now - w.start >= windowMs) {
      this.windows ??= {};
      this.windows[what] = { start: now, count: 1 };
      return 1;
    }
    w.count += 1;
    return w.count;
  }

  // Made on first use: most sockets wait at a QR and never need them (a waiting socket's bytes count).
  private windows: Record<string, { start: number; count: number }> | null = null;
  private localsMap: Map<string | symbol, unknown> | null = null;

  /** Capabilities' own data on this socket. */
  get locals(): Map<string | symbol, unknown> {
    this.localsMap ??= new Map();
    return this.localsMap;
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN && !this.closing;
  }

  /** Sends a hub message, checked against the protocol first: a bug here must not reach a client. */
  send(msg: HubToClient): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    const checked = HubToClient.parse(msg);
    this.ws.send(JSON.stringify(checked));
    return true;
  }

  error(code: ErrorCode, data: Record<string, unknown> = {}, rid?: number, message?: string): void {
    this.send({
      type: "error",
      ...errorBody(code, data),
      ...(message === undefined ? {} : { message }),
      ...(rid === undefined ? {} : { rid }),
    } as HubToClient);
  }

  /** Closes with one of our close codes; drops the socket if the client does not answer in time. */
  close(name: CloseName, reason = ""): void {
    if (this.closing) return;
    this.closing = true;
    this.ws.close(CLOSE[name].code, reason);
    const t = setTimeout(() => this.ws.terminate(), this.closeTimeoutMs);
    t.unref();
    this.ws.once("close", () => clearTimeout(t));
  }
}
