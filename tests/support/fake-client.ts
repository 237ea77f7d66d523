import type { Socket } from "node:net";
import { WebSocket } from "ws";
import { EXTENSION_ORIGIN } from "../../shared/extension-id";
import {
  type ClientToHub,
  type HubMessage,
  type HubToClient,
  PROTOCOL_VERSION,
  parseHubFrame,
} from "../../shared/protocol";

// A scripted withholding client for protocol tests: speaks the real protocol over a real `ws` socket,
// keeps every frame it got, and lets a test wait for the next one of a kind. `closeConnection()`
// drops the socket without a goodbye, as a dying service worker or network would.

export interface FakeClientOptions {
  /** Origin header; the extension's by default, null for none. */
  origin?: string | null;
  /** Send hello at once (default), or not (to test what happens without it). */
  hello?: boolean;
  label?: string;
  /** The system hello names (claimed; absent by default). */
  os?: string;
  resume?: { ticket?: { id: string; secret: string }; session?: string };
  /** Extra upgrade headers (e.g. X-Forwarded-For, as a proxy in front would send). */
  headers?: Record<string, string>;
  /** Opens the TCP connection itself (e.g. to speak the PROXY protocol to a balancer first). */
  createConnection?: () => Socket;
}

type HubType = HubToClient["type"];

export class FakeClient {
  readonly inbox: HubToClient[] = [];
  /** Frames the client could not parse as hub messages (there should be none). */
  readonly garbage: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private nextRid = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const r = parseHubFrame(data.toString());
      if (r.ok) this.inbox.push(r.value);
      else this.garbage.push(data.toString());
      this.wake();
    });
    ws.on("error", () => {});
    this.closed = new Promise((resolve) =>
      ws.on("close", (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      }),
    );
  }

  static wsUrl(hubUrl: string, path = "/ws"): string {
    return `${hubUrl.replace(/^http/, "ws")}${path}`;
  }

  /** Opens a socket (and says hello unless told not to); rejects if the upgrade is refused. */
  static async connect(hubUrl: string, o: FakeClientOptions = {}): Promise<FakeClient> {
    const origin = o.origin === undefined ? EXTENSION_ORIGIN : o.origin;
    const ws = new WebSocket(FakeClient.wsUrl(hubUrl), {
      ...(origin ? { origin } : {}),
      ...(o.headers ? { headers: o.headers } : {}),
      ...(o.createConnection ? { createConnection: o.createConnection } : {}),
    });
    const client = new FakeClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new UpgradeRefused(res.statusCode ?? 0)));
      ws.once("error", reject);
    });
    if (o.hello !== false) {
      client.send({
        type: "hello",
        v: PROTOCOL_VERSION,
        client: { label: o.label ?? "扣缴客户端", version: "0.1.0", ...(o.os ? { os: o.os } : {}) },
        ...(o.resume ? { resume: o.resume } : {}),
      });
      await client.next("welcome");
    }
    return client;
  }

  send(msg: ClientToHub | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Sends `msg` with a fresh rid and waits for the reply carrying it (or an error with it). */
  async request(msg: ClientToHub, timeoutMs?: number): Promise<HubToClient> {
    const rid = this.nextRid++;
    this.send({ ...msg, rid });
    return this.take((m) => "rid" in m && m.rid === rid, `reply to ${msg.type}`, timeoutMs);
  }

  /** The next unread message of this type (and matching `where`), waiting for it if need be. */
  next<T extends HubType>(
    type: T,
    where: (m: HubMessage<T>) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<HubMessage<T>> {
    return this.take((m) => m.type === type && where(m as HubMessage<T>), type, timeoutMs) as Promise<
      HubMessage<T>
    >;
  }

  /** The next `qr.state` of this ticket with this state. */
  state(ticketId: string, state: HubMessage<"qr.state">["state"], timeoutMs?: number) {
    return this.next("qr.state", (m) => m.ticketId === ticketId && m.state === state, timeoutMs);
  }

  async issue(replaces?: string): Promise<HubMessage<"qr.ticket">> {
    const r = await this.request({ type: "qr.issue", ...(replaces ? { replaces } : {}) });
    if (r.type !== "qr.ticket") throw new Error(`qr.issue answered ${JSON.stringify(r)}`);
    return r;
  }

  /** Waits for the confirmation push and redeems its grant; returns the session. */
  async completeLogin(
    ticket: { ticketId: string; secret: string },
    timeoutMs?: number,
  ): Promise<HubMessage<"session">> {
    const confirmed = await this.state(ticket.ticketId, "confirmed", timeoutMs);
    const r = await this.redeem(ticket, confirmed.grant ?? "");
    if (r.type !== "session") throw new Error(`qr.redeem answered ${JSON.stringify(r)}`);
    return r;
  }

  /** Sends qr.redeem; the reply is a session or an error. */
  redeem(ticket: { ticketId: string; secret: string }, grant: string): Promise<HubToClient> {
    return this.request({ type: "qr.redeem", ticketId: ticket.ticketId, secret: ticket.secret, grant });
  }

  /** Messages received so far of one type. */
  all<T extends HubType>(type: T): HubMessage<T>[] {
    return this.inbox.filter((m) => m.type === type) as HubMessage<T>[];
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    return this.closed;
  }

  /** Drops the connection with no close frame. */
  closeConnection(): void {
    this.ws.terminate();
  }

  private read = new Set<HubToClient>();

  private take(match: (m: HubToClient) => boolean, what: string, timeoutMs = 15_000): Promise<HubToClient> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.inbox.slice(-5))}`));
      }, timeoutMs);
      const check = () => {
        const found = this.inbox.find((m) => !this.read.has(m) && match(m));
        if (!found) {
          if (this.ws.readyState === this.ws.CLOSED) {
            clearTimeout(timer);
            this.waiters = this.waiters.filter((w) => w !== check);
            reject(new Error(`socket closed while waiting for ${what}`));
          }
          return;
        }
        this.read.add(found);
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(found);
      };
      this.waiters.push(check);
      check();
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}
