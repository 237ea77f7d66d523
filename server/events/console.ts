import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Hono } from "hono";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { errorBody } from "../../shared/errors";
import type { HubEvent } from "../../shared/events";
import { peerIp, refuseUpgrade } from "../ws/origin";
import { kindMatcher } from "./glob";
import { EVENTS_PAGE } from "./page";
import type { EventStream } from "./stream";

// The operators' view of the event stream: a page at /dev/events and a WebSocket for tools at
// /dev/events/ws (`?last=200&kind=qr.*`). Frames: one `{type:"history", events}` first, then
// `{type:"event", event}` as they happen. In production mode both need OPERATOR_TOKEN
// (`?token=` or `Authorization: Bearer`); without one configured the console stays shut.

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
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024, clientTracking: true });

  constructor(private readonly o: EventConsoleOptions) {
    this.wss.on("error", (err) => o.log.warn({ err: err.message }, "event console socket error"));
  }

  /** Mounted at /dev. */
  routes(): Hono {
    const app = new Hono();
    app.get("/events", (c) => {
      if (!this.allowed(c.req.query("token") ?? bearer(c.req.header("authorization")))) {
        return c.json(errorBody("NOT_LOGGED_IN"), 401);
      }
      return c.html(EVENTS_PAGE);
    });
    return app;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://hub");
    if (!this.allowed(url.searchParams.get("token") ?? bearer(req.headers.authorization))) {
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

  private allowed(given: string | undefined | null): boolean {
    if (!this.o.production) return true;
    if (!this.o.operatorToken || !given) return false;
    return timingSafeEqual(sha256(given), sha256(this.o.operatorToken));
  }
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer (\S+)$/.exec(header ?? "")?.[1];
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
