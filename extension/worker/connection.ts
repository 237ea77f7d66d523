import {
  type ClientMessage,
  type ClientToHub,
  type HubToClient,
  parseHubFrame,
  reconnectAtOnce,
  shouldReconnect,
} from "../../shared/protocol";
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "../core/backoff";

// The worker's socket to the hub as a small state machine (model: centrifuge-js):
//
//   disconnected ──connect()──▶ connecting ──welcome──▶ connected
//        ▲                        ▲    │                    │
//        │                        │    └──close──┐          │
//        │                        └── backoff ◀──┴── close, shouldReconnect(code)
//        └────────── disconnect(code, reason, false) ◀──────┘
//
// "connecting" covers the wait between retries too. Every way the socket ends goes through
// `disconnect`, so timers and handlers are cleaned up in one place.

export enum State {
  Disconnected = "disconnected",
  Connecting = "connecting",
  Connected = "connected",
}

export interface StateChange {
  oldState: State;
  newState: State;
  /** Set when a socket closed (the hub's close code, or 1006 when the network dropped it). */
  code?: number;
  reason?: string;
}

/** The slice of the browser WebSocket this uses (the `ws` package's client fits too). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ConnectionOptions {
  url(): string;
  socket(url: string): SocketLike;
  /** Built at each (re)connect, so it carries the resume data of that moment. */
  hello(): ClientMessage<"hello">;
  onMessage(msg: HubToClient): void;
  onState(change: StateChange): void;
  /** Every socket that ends, even when the state stays "connecting" between failed retries. */
  onClosed?(close: { code: number; reason: string; reconnect: boolean }): void;
  /** Ping only while this holds (a flow in progress): MV3 keeps a worker alive while frames cross. */
  shouldPing(): boolean;
  backoff?: BackoffOptions;
  random?: () => number;
  timers?: Timers;
  /** About every 20 s (Chrome's 30 s activity window for service workers). */
  pingEveryMs?: number;
  /** No welcome this long after opening → treat as a lost socket. */
  handshakeTimeoutMs?: number;
  /** Nothing heard this long while pinging → the socket is dead even if TCP has not noticed. */
  silenceMs?: number;
}

/** Client-side closes (no hub code): a timeout and a silent socket, both worth a retry. */
export const LOCAL_CLOSE = { HANDSHAKE_TIMEOUT: 4901, SILENT: 4902, ABNORMAL: 1006 } as const;

const OPEN = 1;

const globalTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export class Connection {
  state: State = State.Disconnected;
  private ws: SocketLike | undefined;
  private attempt = 0;
  private reconnectTimer: unknown;
  private handshakeTimer: unknown;
  private pingTimer: unknown;
  private lastHeard = 0;
  private readonly timers: Timers;

  constructor(private readonly opts: ConnectionOptions) {
    this.timers = opts.timers ?? globalTimers;
  }

  /** Start (or hurry) a connection. A no-op while connected or mid-handshake. */
  connect(): void {
    if (this.state === State.Connected || (this.state === State.Connecting && this.ws)) return;
    this.clearReconnect();
    this.setState(State.Connecting);
    this.open();
  }

  /** Send a message once the hub has welcomed us; false when it could not go out. */
  send(msg: ClientToHub): boolean {
    if (this.state !== State.Connected || !this.ws || this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  /** The one way out: close the socket if any, stop every timer, then retry or stay down. */
  disconnect(code: number, reason: string, reconnect: boolean): void {
    const ws = this.ws;
    const wasConnected = this.state === State.Connected;
    this.ws = undefined;
    this.stopTimers();
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.onerror = () => {}; // closing mid-handshake reports an error nobody needs
      // Browsers only let a client close with 1000 or 3000–4999.
      if (ws.readyState <= OPEN) ws.close(1000, reason.slice(0, 100));
    }
    if (reconnect) {
      this.setState(State.Connecting, code, reason);
      // A draining hub (1012) asks for a new socket now: the balancer sends it to another node. Only
      // from a welcomed socket, so a hub that keeps closing this way cannot make the worker spin.
      this.scheduleReconnect(wasConnected && reconnectAtOnce(code));
    } else {
      this.setState(State.Disconnected, code, reason);
    }
    this.opts.onClosed?.({ code, reason, reconnect });
  }

  private open(): void {
    let ws: SocketLike;
    try {
      ws = this.opts.socket(this.opts.url());
    } catch {
      this.disconnect(LOCAL_CLOSE.ABNORMAL, "socket failed", true);
      return;
    }
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify(this.opts.hello()));
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev) => this.disconnect(ev.code, ev.reason, shouldReconnect(ev.code));
    ws.onerror = () => {}; // a close event always follows
    this.handshakeTimer = this.timers.setTimeout(
      () => this.disconnect(LOCAL_CLOSE.HANDSHAKE_TIMEOUT, "no welcome", true),
      this.opts.handshakeTimeoutMs ?? 10_000,
    );
  }

  private receive(raw: unknown): void {
    if (typeof raw !== "string") return;
    const parsed = parseHubFrame(raw);
    if (!parsed.ok) {
      console.warn(`hub frame refused at "${parsed.path}": ${parsed.detail}`);
      return;
    }
    this.lastHeard = Date.now();
    const msg = parsed.value;
    if (msg.type === "welcome" && this.state === State.Connecting) {
      this.attempt = 0; // backoff resets once we are really in
      this.timers.clearTimeout(this.handshakeTimer);
      this.setState(State.Connected);
      this.startPing();
    }
    this.opts.onMessage(msg);
  }

  private startPing(): void {
    const every = this.opts.pingEveryMs ?? 20_000;
    const silence = this.opts.silenceMs ?? 3 * every;
    this.pingTimer = this.timers.setInterval(() => {
      if (!this.opts.shouldPing()) return;
      if (Date.now() - this.lastHeard > silence) {
        this.disconnect(LOCAL_CLOSE.SILENT, "hub silent", true);
        return;
      }
      this.send({ type: "ping" });
    }, every);
  }

  private scheduleReconnect(now = false): void {
    if (now) this.attempt = 0; // should that node refuse too, the backoff starts from its first step
    const delay = now
      ? 0
      : backoffDelay(
          this.attempt++,
          (this.opts.random ?? Math.random)(),
          this.opts.backoff ?? DEFAULT_BACKOFF,
        );
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.open();
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== undefined) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private stopTimers(): void {
    this.clearReconnect();
    this.timers.clearTimeout(this.handshakeTimer);
    this.timers.clearInterval(this.pingTimer);
    this.handshakeTimer = this.pingTimer = undefined;
  }

  /** Fires only on a real change, with both ends of it. */
  private setState(newState: State, code?: number, reason?: string): void {
    const oldState = this.state;
    if (oldState === newState) return;
    this.state = newState;
    this.opts.onState({ oldState, newState, code, reason });
  }
}
