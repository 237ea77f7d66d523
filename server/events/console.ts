import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Hono } from "hono";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { errorBody } from "../../shared/errors";
import type { HubEvent } from "../../shared/events";
import { peerIp, refuseUpgrade } from "../http/upgrade";
import { kindMatcher } from "./glob";
import { EVENTS_PAGE, EVENTS_SCRIPT, EVENTS_STYLE } from "./page";
import type { EventStream } from "./stream";

// The operators' view of the event stream: a page at /dev/events and a WebSocket for tools at
// /dev/events/ws (`?last=200&kind=qr.*`). Frames: one `{type:"history", events}` first, then
// `{type:"event", event}` as they happen. In production mode the stream needs OPERATOR_TOKEN, only ever
// in a header — `Authorization: Bearer` (tools, /dev/events/access), or for a browser, which cannot set
// headers on a WebSocket, `Sec-WebSocket-Protocol: shiming.events, shiming.token.<base64url token>`
// — never in a URL (proxy logs keep URLs). Without a token configured the console stays shut.

export interface EventConsoleOptions {
  stream: EventStream;
  production: boolean;
  operatorToken: string | undefined;
  log: Logger;
}

/** A watcher that cannot keep up loses events rather than growing our memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_HISTORY = 5000;

export class EventConsole {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024,
    clientTracking: true,
    // Answer with the page's protocol, never with the one that carries the token.
    handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
  });

  constructor(private readonly o: EventConsoleOptions) {
    this.wss.on("error", (err) => o.log.warn({ err: err.message }, "event console socket error"));
  }

  /** Mounted at /dev. */
  routes(): Hono {
    const app = new Hono();
    // The page holds no events (they come over the socket): any browser may load it and type the token.
    app.get("/events", (c) => (this.shut() ? c.json(errorBody("NOT_LOGGED_IN"), 401) : c.html(EVENTS_PAGE)));
    app.get("/events/page.js", (c) =>
      c.body(EVENTS_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" }),
    );
    app.get("/events/page.css", (c) =>
      c.body(EVENTS_STYLE, 200, { "content-type": "text/css; charset=utf-8" }),
    );
    app.get("/events/access", (c) =>
      this.allowed(bearer(c.req.header("authorization")))
        ? c.body(null, 204)
        : c.json(errorBody("NOT_LOGGED_IN"), 401),
    );
    return app;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://hub");
    const given = bearer(req.headers.authorization) ?? protocolToken(req.headers["sec-websocket-protocol"]);
    if (!this.allowed(given)) {
      refuseUpgrade(socket, 401, "NOT_LOGGED_IN");
      return;
    }
    // Tools send no Origin; a browser page may only watch from the hub's own origin.
    const origin = req.headers.origin;
    if (origin && safeHost(origin) !== req.headers.host) {
      refuseUpgrade(socket, 403, "ORIGIN_NOT_ALLOWED");
      return;
    }
    const last = Math.min(MAX_HISTORY, Math.max(0, Number(url.searchParams.get("last") ?? 200) || 0));
    const matches = kindMatcher(url.searchParams.get("kind"));
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", () => {});
      ws.on("message", () => {}); // watchers only listen
      const send = (frame: object) => {
        if (ws.readyState === ws.OPEN && ws.bufferedAmount < MAX_BUFFERED_BYTES)
          ws.send(JSON.stringify(frame));
      };
      // Live events that arrive while history is being read are held back, then sent after it.
      let pending: HubEvent[] | null = [];
      const stop = this.o.stream.watch((e) => {
        if (!matches(e.kind)) return;
        if (pending) pending.push(e);
        else send({ type: "event", event: e });
      });
      ws.on("close", stop);
      this.o.stream
        .recent(last)
        .catch(() => [] as HubEvent[]) // Redis away: no history, live events resume with it
        .then((history) => {
          const seen = new Set(history.map((e) => e.id));
          send({ type: "history", events: history.filter((e) => matches(e.kind)) });
          for (const e of pending ?? []) if (!seen.has(e.id)) send({ type: "event", event: e });
          pending = null;
        });
      this.o.log.debug({ ip: peerIp(req.socket.remoteAddress) }, "event watcher connected");
    });
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** The operator token check of the console, for other operator routes (`/metrics`): `Authorization: Bearer`. */
  operatorAllows(authorization: string | undefined): boolean {
    return this.allowed(bearer(authorization));
  }

  /** Production without OPERATOR_TOKEN: nobody may watch. */
  private shut(): boolean {
    return this.o.production && !this.o.operatorToken;
  }

  private allowed(given: string | undefined | null): boolean {
    if (!this.o.production) return true;
    if (!this.o.operatorToken || !given) return false;
    return timingSafeEqual(sha256(given), sha256(this.o.operatorToken));
  }
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer (\S+)$/.exec(header ?? "")?.[1];
}

const PROTOCOL = "shiming.events";
const TOKEN_PROTOCOL = "shiming.token.";

/** The token a browser page sent as a WebSocket subprotocol (see server/events/page.ts). */
function protocolToken(header: string | undefined): string | undefined {
  const offered = (header ?? "").split(",").map((p) => p.trim());
  const encoded = offered.find((p) => p.startsWith(TOKEN_PROTOCOL))?.slice(TOKEN_PROTOCOL.length);
  return encoded ? Buffer.from(encoded, "base64url").toString("utf8") : undefined;
}

function sha256(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
