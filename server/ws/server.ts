import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import {
  type ClientMessage,
  type ClientToHub,
  type ParseResult,
  PROTOCOL_VERSION,
  parseClientFrame,
  SESSION_END_MESSAGES,
  type SessionEndReason,
} from "../../shared/protocol";
import { type Bus, BusUnavailable } from "../bus";
import { maskIp } from "../events/masking";
import type { EventSink } from "../events/sink";
import { clientAddress, NO_PROXY, type TrustProxy } from "../http/client-address";
import { refuseUpgrade } from "../http/upgrade";
import { type Clock, systemClock } from "../kernel/clock";
import { Deadlines } from "../kernel/deadlines";
import { Refusal } from "../kernel/refusal";
import type { HubLimits } from "../limits";
import { Connection, type ConnectionSession } from "./connection";
import { allowedOrigins } from "./origin";

// The client socket (`/ws`): Origin checked before the upgrade, hello first, then every message
// parsed and handed to the handler registered for its type. Capabilities register their handlers;
// this file never learns what a login or a company is.

export type Handler<T extends ClientToHub["type"]> = (
  conn: Connection,
  msg: ClientMessage<T>,
) => void | Promise<void>;
export type HelloHook = (conn: Connection, hello: ClientMessage<"hello">) => void | Promise<void>;

export interface ClientSocketsOptions {
  nodeId: string;
  publicUrl: string;
  extraOrigins: readonly string[];
  qrTtlS: number;
  caCutoff: Date;
  /** CA roots are configured (CA_ROOTS_FILE): without them CA is never offered. */
  caConfigured?: boolean;
  authorizationFrom: Date;
  limits: HubLimits;
  events: EventSink;
  bus: Bus;
  clock: Clock;
  log: Logger;
  /** Which proxies may tell the client's address (TRUST_PROXY); by default none: the peer is the client. */
  trustProxy?: TrustProxy;
}

// The "these sessions ended" notice lives with the sessions; re-exported for the socket's users.

export class ClientSockets {
  private readonly wss: WebSocketServer;
  private readonly conns = new Map<string, Connection>();
  /** Open sockets per client address on this node (connectionsPerIp). */
  private readonly perIp = new Map<string, number>();
  private readonly handlers = new Map<string, (conn: Connection, msg: ClientToHub) => unknown>();
  private readonly helloHooks: HelloHook[] = [];
  private readonly closeHooks: ((conn: Connection) => void)[] = [];
  private readonly loginHooks: ((conn: Connection) => void)[] = [];
  /** Allowed origins, each to itself: a socket keeps the one string, not its own copy of the header. */
  private readonly origins: ReadonlyMap<string, string>;
  private readonly byWs = new WeakMap<WebSocket, Connection>();
  private readonly clients = new ClientKinds();
  /** Sockets mid-upgrade and the address whose slot each holds. */
  private readonly upgrading = new WeakMap<Duplex, string>();
  private readonly upgradeClosed = this.upgradeCloseListener();
  private readonly wsListeners = this.listeners();
  private readonly heartbeat: NodeJS.Timeout;
  /** Each new socket's time to say hello, on one timer for the node. */
  private readonly helloDue: Deadlines<Connection>;
  private stopListening: (() => void) | null = null;
  private shuttingDown = false;

  private constructor(private readonly o: ClientSocketsOptions) {
    this.origins = new Map([...allowedOrigins(o.publicUrl, o.extraOrigins)].map((x) => [x, x]));
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: o.limits.maxPayload,
      clientTracking: false,
    });
    this.wss.on("error", (err) => o.log.warn({ err: err.message }, "websocket server error"));
    this.heartbeat = setInterval(() => this.beat(), o.limits.heartbeatMs);
    this.heartbeat.unref();
    // Transport time, like the pacing: wall clock, not the injected business clock.
    this.helloDue = new Deadlines(systemClock, (conn) => {
      if (conn.client || conn.ws.readyState !== conn.ws.OPEN) return;
      conn.error("HELLO_REQUIRED");
      conn.close("HELLO_REQUIRED", "no hello");
    });
  }

  static async start(o: ClientSocketsOptions): Promise<ClientSockets> {
    return new ClientSockets(o);
  }

  /** Runs `stop` when the sockets close (a capability's bus subscription, say). */
  onShutdown(stop: () => void): void {
    const before = this.stopListening;
    this.stopListening = () => {
      before?.();
      stop();
    };
  }

  /** Lets a capability answer a message type; one handler per type. */
  registerHandler<T extends ClientToHub["type"]>(type: T, fn: Handler<T>): void {
    if (type === "hello" || type === "ping") throw new Error(`${type} is the socket's own`);
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, fn as unknown as (conn: Connection, msg: ClientToHub) => unknown);
  }

  /** Runs after the welcome, in order, before any later message of that socket (e.g. resume). */
  onHello(fn: HelloHook): void {
    this.helloHooks.push(fn);
  }

  onClose(fn: (conn: Connection) => void): void {
    this.closeHooks.push(fn);
  }

  /** Runs whenever a socket becomes logged in (password, QR, resume), e.g. to watch its idle time. */
  onLogin(fn: (conn: Connection) => void): void {
    this.loginHooks.push(fn);
  }

  /** The socket is logged in as this session from now on. */
  loggedIn(conn: Connection, session: ConnectionSession): void {
    conn.session = session;
    for (const fn of this.loginHooks) fn(conn);
  }

  get(connId: string): Connection | undefined {
    return this.conns.get(connId);
  }

  all(): IterableIterator<Connection> {
    return this.conns.values();
  }

  bySession(sessionId: string): Connection[] {
    return [...this.conns.values()].filter((c) => c.session?.id === sessionId);
  }

  byPerson(personId: string): Connection[] {
    return [...this.conns.values()].filter((c) => c.session?.personId === personId);
  }

  /** Closes this node's sockets of the given sessions; other nodes hear it through the bus. */
  endSessionsHere(notice: { sessionIds: readonly string[]; reason: SessionEndReason }): number {
    let n = 0;
    for (const id of notice.sessionIds) {
      for (const conn of this.bySession(id)) {
        this.endConnection(conn, notice.reason);
        n += 1;
      }
    }
    return n;
  }

  /** Tells one socket its session ended and why, then closes it with SESSION_ENDED. */
  endConnection(conn: Connection, reason: SessionEndReason): void {
    conn.send({ type: "session.ended", reason, message: SESSION_END_MESSAGES[reason] });
    conn.session = null;
    conn.close("SESSION_ENDED", reason);
  }

  /** The `upgrade` step: Origin first, refused with 403 before any WebSocket exists. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", ignore); // a peer resetting mid-handshake is not our crash
    const asked = req.headers.origin;
    const origin = asked === undefined ? undefined : this.origins.get(asked);
    const xff = req.headers["x-forwarded-for"];
    const ip = clientAddress(
      {
        peer: req.socket.remoteAddress,
        forwarded: req.headers.forwarded,
        xForwardedFor: Array.isArray(xff) ? xff.join(",") : xff,
      },
      this.o.trustProxy ?? NO_PROXY,
    );
    if (!origin) {
      this.o.events.emit("ws.refused", { ip: maskIp(ip), origin: asked ?? null, status: 403 });
      refuseUpgrade(socket, 403, "ORIGIN_NOT_ALLOWED");
      return;
    }
    if (this.shuttingDown || this.conns.size >= this.o.limits.maxConnections) {
      this.o.events.emit("limit.hit", { limit: "maxConnections", ip: maskIp(ip) });
      refuseUpgrade(socket, 503, "UNAVAILABLE");
      return;
    }
    // One address cannot take every slot: past its share it hears 429, everyone else still gets in.
    const held = this.perIp.get(ip) ?? 0;
    if (held >= this.o.limits.connectionsPerIp) {
      this.o.events.emit("limit.hit", { limit: "connectionsPerIp", ip: maskIp(ip) });
      refuseUpgrade(socket, 429, "RATE_LIMITED");
      return;
    }
    // Counted from here, not from accept: upgrades under way count too. Until the upgrade, the TCP
    // socket's close gives the slot back; after it, the WebSocket's (which always follows).
    this.perIp.set(ip, held + 1);
    this.upgrading.set(socket, ip);
    socket.on("close", this.upgradeClosed);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.upgrading.delete(socket);
      socket.off("close", this.upgradeClosed);
      socket.off("error", ignore); // ws has its own from here
      this.accept(new Connection(ws, ip, origin, this.o.limits.closeTimeoutMs));
    });
  }

  private released(ip: string): void {
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n > 0) this.perIp.set(ip, n);
    else this.perIp.delete(ip);
  }

  /**
   * Draining: no new socket; each socket's message in progress (a login mid-hash) answers first,
   * within `drainMs`; then every socket gets 1012 (reconnect now, elsewhere) and the server stops.
   */
  async close(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.heartbeat);
    this.helloDue.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.conns.values()].map((c) => c.queue)),
      new Promise((r) => {
        timer = setTimeout(r, this.o.limits.drainMs);
      }),
    ]);
    clearTimeout(timer);
    this.stopListening?.();
    const closed = [...this.conns.values()].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.ws.once("close", () => resolve());
          c.close("SERVICE_RESTART", "node draining");
        }),
    );
    await Promise.race([
      Promise.all(closed),
      new Promise((r) => setTimeout(r, this.o.limits.closeTimeoutMs)),
    ]);
    for (const c of this.conns.values()) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(conn: Connection): void {
    const { ws } = conn;
    this.conns.set(conn.id, conn);
    this.o.events.emit("ws.connected", { conn: conn.id, ip: maskIp(conn.ip), origin: conn.origin });
    this.byWs.set(ws, conn);
    const on = this.wsListeners;
    ws.on("error", on.error);
    ws.on("pong", on.pong);
    ws.on("message", on.message);
    ws.on("close", on.close);
    this.helloDue.add(Date.now() + this.o.limits.helloTimeoutMs, conn);
  }

  private upgradeCloseListener() {
    const self = this;
    return function (this: Duplex) {
      const ip = self.upgrading.get(this);
      if (ip === undefined) return;
      self.upgrading.delete(this);
      self.released(ip);
    };
  }

  /** The listeners of every client WebSocket, made once: each finds its socket's Connection (one
   *  closure set per socket would cost every waiting socket its bytes). */
  private listeners() {
    const self = this;
    const connOf = (ws: WebSocket) => self.byWs.get(ws);
    return {
      error(this: WebSocket, err: Error) {
        self.o.log.debug({ conn: connOf(this)?.id, err: err.message }, "client socket error");
      },
      pong(this: WebSocket) {
        const conn = connOf(this);
        if (conn) conn.alive = true;
      },
      message(this: WebSocket, data: RawData, isBinary: boolean) {
        const conn = connOf(this);
        if (conn) self.onMessage(conn, data, isBinary);
      },
      close(this: WebSocket, code: number) {
        const conn = connOf(this);
        if (!conn) return;
        self.released(conn.ip);
        self.conns.delete(conn.id);
        for (const fn of self.closeHooks) fn(conn);
        const seconds = Math.round((Date.now() - conn.openedAt) / 1000);
        self.o.events.emit("ws.closed", { conn: conn.id, code, seconds });
      },
    };
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closing) return;
    const pace = this.pace(conn);
    if (pace === "flood") return;
    if (pace === "over") {
      // Each dropped request hears why (with its rid), so a client never waits for a lost reply.
      conn.error("RATE_LIMITED", {}, isBinary ? undefined : ridOfRaw(data));
      return;
    }
    const parsed: ParseResult<ClientToHub> = isBinary
      ? { ok: false, path: "", detail: "binary frame" }
      : parseClientFrame(rawText(data));
    const rid = parsed.ok ? parsed.value.rid : parsed.rid; // a frame we cannot read still gets its rid back
    if (!conn.client) {
      // The first message is hello; anything else first (or a hello we cannot read) ends the socket.
      if (parsed.ok && parsed.value.type === "hello") {
        this.enqueue(conn, parsed.value, (c, m) => this.hello(c, m));
      } else {
        conn.error(parsed.ok ? "HELLO_REQUIRED" : "BAD_MESSAGE", parsed.ok ? {} : { path: parsed.path }, rid);
        conn.close("HELLO_REQUIRED", "hello first");
      }
      return;
    }
    if (!parsed.ok) {
      this.bad(conn, parsed.path, rid);
      return;
    }
    const msg = parsed.value;
    const fn = this.handlers.get(msg.type);
    if (msg.type === "hello") conn.error("WRONG_STEP", {}, rid);
    else if (msg.type === "ping")
      conn.send({ type: "pong", serverTime: new Date(this.o.clock.now()).toISOString(), ...ridOf(rid) });
    else if (!fn) conn.error("UNKNOWN_MESSAGE", {}, rid);
    else this.enqueue(conn, msg, fn);
  }

  private enqueue<T extends ClientToHub>(
    conn: Connection,
    msg: T,
    fn: (c: Connection, m: T) => unknown,
  ): void {
    conn.queue = conn.queue.then(async () => {
      if (conn.closing) return;
      try {
        await fn(conn, msg);
      } catch (err) {
        this.answerFailure(conn, err, msg.rid);
      }
    });
  }

  /** Turns a thrown refusal into the error message a client shows; anything unexpected is INTERNAL. */
  answerFailure(conn: Connection, err: unknown, rid?: number): void {
    if (err instanceof Refusal) conn.error(err.code, err.data, rid, err.detail);
    else if (err instanceof BusUnavailable) conn.error("UNAVAILABLE", {}, rid);
    else {
      this.o.log.error({ conn: conn.id, err }, "handler failed");
      conn.error("INTERNAL", {}, rid);
    }
  }

  private async hello(conn: Connection, msg: ClientMessage<"hello">): Promise<void> {
    if (msg.v !== PROTOCOL_VERSION) {
      conn.error("VERSION_UNSUPPORTED", {}, msg.rid);
      conn.close("VERSION_UNSUPPORTED", `v${PROTOCOL_VERSION} only`);
      return;
    }
    conn.client = this.clients.intern(msg.client);
    const now = this.o.clock.now();
    conn.send({
      type: "welcome",
      ...ridOf(msg.rid),
      v: PROTOCOL_VERSION,
      node: this.o.nodeId,
      publicUrl: this.o.publicUrl,
      serverTime: new Date(now).toISOString(),
      // seed: CA only before 2020-01-01, and only with a local CA root to check against
      caOffered: this.o.caConfigured !== false && now < this.o.caCutoff.getTime(),
      authorizationActive: now >= this.o.authorizationFrom.getTime(), // seed: 办税授权 from 2020-01-01
      qrTtlS: this.o.qrTtlS,
    });
    this.o.events.emit("ws.hello", {
      conn: conn.id,
      client: msg.client.label,
      version: msg.client.version,
      resume: msg.resume?.ticket ? "ticket" : msg.resume?.session ? "session" : null,
    });
    for (const hook of this.helloHooks) {
      try {
        await hook(conn, msg);
      } catch (err) {
        this.answerFailure(conn, err);
      }
    }
  }

  /** Within the per-second limit, over it (the message is dropped), or a flood (the socket closes). */
  private pace(conn: Connection): "ok" | "over" | "flood" {
    const now = Date.now(); // transport pacing: wall time, not the injected business clock
    if (now - conn.paceStart >= 1000) {
      conn.paceStart = now;
      conn.paceCount = 0;
      conn.paceWarned = false;
    }
    conn.paceCount += 1;
    if (conn.paceCount > this.o.limits.floodMessagesPerSecond) {
      this.o.events.emit("limit.hit", { limit: "floodMessagesPerSecond", conn: conn.id });
      conn.close("POLICY", "flood");
      return "flood";
    }
    if (conn.paceCount <= this.o.limits.messagesPerSecond) return "ok";
    if (!conn.paceWarned) {
      conn.paceWarned = true;
      this.o.events.emit("limit.hit", { limit: "messagesPerSecond", conn: conn.id });
    }
    return "over";
  }

  private bad(conn: Connection, path: string, rid: number | undefined): void {
    conn.badMessages += 1;
    this.o.events.emit("ws.bad_message", { conn: conn.id, path, count: conn.badMessages });
    conn.error("BAD_MESSAGE", { path }, rid);
    if (conn.badMessages >= this.o.limits.badMessagesBeforeClose) {
      this.o.events.emit("limit.hit", { limit: "badMessagesBeforeClose", conn: conn.id });
      conn.close("POLICY", "too many malformed messages");
    }
  }

  /** Ping everyone; whoever did not answer the previous ping is gone. */
  private beat(): void {
    for (const conn of this.conns.values()) {
      if (!conn.alive) {
        this.o.events.emit("limit.hit", { limit: "heartbeatMs", conn: conn.id });
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }
}

function ignore(): void {}

type ClientKind = NonNullable<Connection["client"]>;

/** What hello says of the client (label, version, OS), one object per kind for all its sockets:
 *  nearly every socket runs the same extension build, and each would otherwise keep its own copy. */
class ClientKinds {
  private static readonly MAX = 256;
  private readonly kinds = new Map<string, ClientKind>();

  intern(c: ClientKind): ClientKind {
    const key = JSON.stringify([c.label, c.version, c.os ?? null]);
    const known = this.kinds.get(key);
    if (known) return known;
    if (this.kinds.size < ClientKinds.MAX) this.kinds.set(key, c); // past that, each keeps its own
    return c;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

/** The rid of a frame we will not otherwise read, if it has a plausible one. */
function ridOfRaw(data: RawData): number | undefined {
  const m = /"rid"\s*:\s*(\d{1,10})\b/.exec(rawText(data).slice(0, 4096));
  const n = m?.[1] ? Number(m[1]) : undefined;
  return n !== undefined && n < 2 ** 31 ? n : undefined;
}

function ridOf(rid: number | undefined): { rid?: number } {
  return rid === undefined ? {} : { rid };
}
