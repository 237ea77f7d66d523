import { randomBytes, randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { drawCaptcha } from "../../server/captcha/image";
import { type ErrorCode, errorBody } from "../../shared/errors";
import {
  type ClientMessage,
  type ClientToHub,
  type HubMessage,
  type HubToClient,
  HubToClient as HubToClientSchema,
  parseClientFrame,
  SESSION_END_MESSAGES,
  type TicketState,
} from "../../shared/protocol";

// A small hub for the extension's unit tests: a real `ws` server on /ws speaking shared/protocol, with
// scripted answers good enough to walk the whole login (model: centrifuge-js fakeServer). End-to-end
// tests drive the real hub instead (tests/e2e/real-hub.test.ts).
//
//   hub.on("login.password", (msg) => [...])   replace an answer (return undefined → the script's)
//   hub.push(msg)                              send anything the protocol allows
//   hub.scan() / hub.confirm() / hub.cancel()  play the phone for the latest QR ticket
//   hub.closeConnection(code)                  drop the socket (1006-style with terminate())
//   hub.received / hub.waitFor(type)           what the client sent
//
// Every frame it sends is checked against HubToClient, so the fake cannot drift from the protocol.

export interface FakeUser {
  account: string;
  password: string;
  handler: HubMessage<"session">["handler"];
  companies: FakeCompany[];
}

export interface FakeCompany {
  taxId: string;
  name: string;
  access: "bound" | "authorized";
  /** 本市单位: listed with CA while the fake offers it. */
  local?: boolean;
  declarationPassword: string;
  /** Not yet linked to the handler: appears after company.add. */
  unlisted?: boolean;
}

export interface FakeHubOptions {
  users?: FakeUser[];
  caOffered?: boolean;
  authorizationActive?: boolean;
  qrTtlS?: number;
  /** The account the phone logs in as when it confirms a QR. */
  phoneAccount?: string;
}

type Handler<T extends ClientToHub["type"]> = (
  msg: ClientMessage<T>,
  conn: FakeConnection,
) => HubToClient[] | undefined;

export interface FakeConnection {
  id: number;
  ws: WebSocket;
  origin: string | undefined;
  helloDone: boolean;
  token?: string;
}

interface FakeTicket {
  id: string;
  secret: string;
  state: TicketState;
  expiresAt: string;
  grant?: string;
  maskedName?: string;
  conn?: FakeConnection;
}

const tok = () => randomBytes(16).toString("base64url");
const LOCK_MINUTES = 120; // seed 1.1 / 1.3.1: 5 wrong (included) → locked 120 minutes

export const DEMO_USERS: FakeUser[] = [
  {
    account: "13800138000",
    password: "Pass1234!",
    handler: { name: "张三", maskedName: "*三", maskedIdNumber: "1101**********4514", idType: "居民身份证" },
    companies: [
      {
        taxId: "91110108MA01ABCD2X",
        name: "北京示例科技有限公司",
        access: "bound",
        declarationPassword: "Decl2020ok",
      },
      {
        taxId: "91310115MA1K4XYZ9P",
        name: "上海浦东示范贸易有限公司",
        access: "authorized",
        declarationPassword: "Other2020ok",
      },
      {
        taxId: "91440300MA5FQWER3L",
        name: "深圳南山样例服务有限公司",
        access: "bound",
        declarationPassword: "Shen2020ok",
      },
    ],
  },
];

export class FakeHub {
  readonly received: { conn: number; msg: ClientToHub }[] = [];
  readonly connections: FakeConnection[] = [];
  readonly tickets = new Map<string, FakeTicket>();
  /** The answer of the latest captcha image, so a test can type it. */
  captchaAnswer = "";
  caOffered: boolean;
  authorizationActive: boolean;
  /** How long a session may sit idle, as the session message says (the fake never ends one). */
  idleMs = 30 * 60_000;
  private readonly handlers = new Map<string, Handler<ClientToHub["type"]>>();
  private readonly sessions = new Map<string, { user: FakeUser; method: "password" | "qr" }>();
  private readonly failures = new Map<string, number>();
  private readonly captchas = new Map<string, string>();
  private waiters: { type: string; pred: (m: ClientToHub) => boolean; resolve(m: ClientToHub): void }[] = [];
  private seq = 0;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly opts: Required<FakeHubOptions>,
  ) {
    this.caOffered = opts.caOffered;
    this.authorizationActive = opts.authorizationActive;
    wss.on("connection", (ws: WebSocket, req: IncomingMessage) => this.accept(ws, req));
  }

  static async start(options: FakeHubOptions = {}): Promise<FakeHub> {
    const opts: Required<FakeHubOptions> = {
      users: structuredClone(options.users ?? DEMO_USERS),
      caOffered: options.caOffered ?? false,
      authorizationActive: options.authorizationActive ?? true,
      qrTtlS: options.qrTtlS ?? 120,
      phoneAccount: options.phoneAccount ?? (options.users ?? DEMO_USERS)[0]?.account ?? "",
    };
    // Portal and phone pages: a plain page, enough for "opened in a tab".
    const server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><meta charset="utf-8"><title>fake hub</title><p>fake page ${req.url}</p>`);
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on("upgrade", (req, socket, head) => {
      if (new URL(req.url ?? "/", "http://x").pathname !== "/ws") {
        socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new FakeHub(server, wss, opts);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get wsUrl(): string {
    return `${this.url.replace("http", "ws")}/ws`;
  }

  /** The connection that spoke last (the client's current socket). */
  get current(): FakeConnection | undefined {
    return this.connections.filter((c) => c.ws.readyState === c.ws.OPEN).at(-1);
  }

  /** Replace the script for one message type. Return undefined to fall back to the script. */
  on<T extends ClientToHub["type"]>(type: T, handler: Handler<T>): void {
    this.handlers.set(type, handler as unknown as Handler<ClientToHub["type"]>);
  }

  /** Send a message to the current connection. */
  push(msg: HubToClient, conn = this.current): void {
    if (!conn || conn.ws.readyState !== conn.ws.OPEN) return;
    HubToClientSchema.parse(msg); // the fake speaks the protocol or the test fails loudly
    conn.ws.send(JSON.stringify(msg));
  }

  /** Close the client's socket: a close code, or none for an abnormal drop (1006 on the client). */
  closeConnection(code?: number, reason = ""): void {
    const conn = this.current;
    if (!conn) return;
    if (code === undefined) conn.ws.terminate();
    else conn.ws.close(code, reason);
  }

  /** Resolve with the first message of `type` (matching `pred`) received after this call. */
  waitFor<T extends ClientToHub["type"]>(
    type: T,
    pred: (m: ClientMessage<T>) => boolean = () => true,
  ): Promise<ClientMessage<T>> {
    return new Promise((resolve) => {
      this.waiters.push({
        type,
        pred: pred as (m: ClientToHub) => boolean,
        resolve: resolve as (m: ClientToHub) => void,
      });
    });
  }

  /** Messages of one type received so far. */
  sent<T extends ClientToHub["type"]>(type: T): ClientMessage<T>[] {
    return this.received.filter((r) => r.msg.type === type).map((r) => r.msg as ClientMessage<T>);
  }

  /** The most recent ticket the client asked for. */
  get latestTicket(): FakeTicket | undefined {
    return [...this.tickets.values()].at(-1);
  }

  // ── the phone ──────────────────────────────────────────────────────────────────────────────
  scan(maskedName = "*三", ticket = this.latestTicket): void {
    this.moveTicket(ticket, "scanned", { maskedName });
  }

  confirm(ticket = this.latestTicket): void {
    this.moveTicket(ticket, "confirmed", { grant: tok() });
  }

  cancel(ticket = this.latestTicket): void {
    this.moveTicket(ticket, "cancelled");
  }

  expire(ticket = this.latestTicket): void {
    this.moveTicket(ticket, "expired");
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── the script ─────────────────────────────────────────────────────────────────────────────

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const conn: FakeConnection = { id: ++this.seq, ws, origin: req.headers.origin, helloDone: false };
    this.connections.push(conn);
    ws.on("error", () => {});
    ws.on("message", (data) => {
      const parsed = parseClientFrame(String(data));
      if (!parsed.ok) {
        this.push({ type: "error", ...errorBody("BAD_MESSAGE", { path: parsed.path }) } as HubToClient, conn);
        return;
      }
      const msg = parsed.value;
      this.received.push({ conn: conn.id, msg });
      this.waiters = this.waiters.filter((w) => {
        if (w.type !== msg.type || !w.pred(msg)) return true;
        w.resolve(msg);
        return false;
      });
      if (!conn.helloDone && msg.type !== "hello") {
        this.push(this.error("HELLO_REQUIRED"), conn);
        ws.close(4000, "hello required");
        return;
      }
      const custom = this.handlers.get(msg.type)?.(msg, conn);
      const replies = custom ?? this.script(msg, conn);
      for (const r of replies)
        this.push(r.type === "error" && msg.rid !== undefined ? { ...r, rid: msg.rid } : r, conn);
    });
  }

  private error(code: ErrorCode, data: Record<string, unknown> = {}): HubToClient {
    return { type: "error", ...errorBody(code, data) } as HubToClient;
  }

  private script(msg: ClientToHub, conn: FakeConnection): HubToClient[] {
    switch (msg.type) {
      case "hello":
        return this.onHello(msg, conn);
      case "ping":
        return [{ type: "pong", serverTime: new Date().toISOString() }];
      case "login.password":
        return this.onPassword(msg, conn);
      case "captcha.new":
        return [this.newCaptcha(msg.purpose)];
      case "logout":
        if (conn.token) this.sessions.delete(conn.token);
        conn.token = undefined;
        return [{ type: "session.ended", reason: "logout", message: SESSION_END_MESSAGES.logout }];
      case "qr.issue":
        return this.onQrIssue(msg, conn);
      case "qr.cancel": {
        const t = this.tickets.get(msg.ticketId);
        if (t && t.secret === msg.secret) t.state = "cancelled";
        return [];
      }
      case "qr.redeem":
        return this.onRedeem(msg, conn);
      case "company.list":
      case "company.switch":
        return this.withUser(conn, (user) => [this.companyList(user)]);
      case "company.add":
        return this.withUser(conn, (user) => this.onAdd(msg, user));
      case "declaration.verify":
        return this.withUser(conn, (user) => this.onDeclaration(msg, user));
      case "authorization.enter":
        return this.withUser(conn, (user) => this.onAuthorization(msg, user));
      case "ca.challenge":
        if (!this.caOffered) return [this.error("CA_NOT_OFFERED")];
        return [
          {
            type: "ca.challenge.result",
            taxId: msg.taxId,
            nonce: tok(),
            expiresAt: new Date(Date.now() + 60_000).toISOString(),
          },
        ];
      case "ca.verify":
        return this.withUser(conn, (user) => {
          if (!this.caOffered) return [this.error("CA_NOT_OFFERED")];
          const company = user.companies.find((c) => c.taxId === msg.taxId);
          if (!company) return [this.error("COMPANY_NOT_FOUND")];
          return [this.enter(company, "ca")];
        });
    }
  }

  private onHello(msg: ClientMessage<"hello">, conn: FakeConnection): HubToClient[] {
    conn.helloDone = true;
    const out: HubToClient[] = [
      {
        type: "welcome",
        v: 1,
        node: "fake-hub",
        publicUrl: this.url,
        serverTime: new Date().toISOString(),
        caOffered: this.caOffered,
        authorizationActive: this.authorizationActive,
        qrTtlS: this.opts.qrTtlS,
      },
    ];
    const session = msg.resume?.session;
    if (session) {
      const known = this.sessions.get(session);
      if (known) {
        conn.token = session;
        out.push(this.sessionMessage(session, known.user, known.method));
      } else {
        out.push(this.error("SESSION_EXPIRED"));
      }
    }
    const ticket = msg.resume?.ticket;
    if (ticket) {
      const t = this.tickets.get(ticket.id);
      if (!t || t.secret !== ticket.secret) out.push(this.error("TICKET_NOT_FOUND"));
      else {
        t.conn = conn;
        out.push(this.ticketState(t));
      }
    }
    return out;
  }

  private onPassword(msg: ClientMessage<"login.password">, conn: FakeConnection): HubToClient[] {
    const user = this.opts.users.find((u) => u.account === msg.account);
    const key = `login:${msg.account}`;
    const gate = this.checkGate(key, msg.captcha);
    if (gate) return gate;
    if (!user || user.password !== msg.password)
      return this.wrong(key, "ACCOUNT_OR_PASSWORD_WRONG", "ACCOUNT_LOCKED");
    this.failures.delete(key);
    const token = tok();
    this.sessions.set(token, { user, method: "password" });
    conn.token = token;
    return [this.sessionMessage(token, user, "password")];
  }

  /** Locked, or a captcha owed and missing / wrong: the answer before the password is even looked at. */
  private checkGate(
    key: string,
    captcha: { id: string; answer: string } | undefined,
  ): HubToClient[] | undefined {
    const failures = this.failures.get(key) ?? 0;
    const lockCode: ErrorCode = key.startsWith("login:") ? "ACCOUNT_LOCKED" : "DECLARATION_LOCKED";
    if (failures >= 5) return [this.error(lockCode, { minutesLeft: LOCK_MINUTES })];
    if (failures === 0) return undefined;
    if (!captcha) return [this.error("CAPTCHA_REQUIRED", { captchaRequired: true })];
    const expected = this.captchas.get(captcha.id);
    this.captchas.delete(captcha.id);
    if (!expected || expected.toLowerCase() !== captcha.answer.toLowerCase()) {
      return [this.error("CAPTCHA_WRONG", { captchaRequired: true })];
    }
    return undefined;
  }

  private wrong(key: string, code: ErrorCode, lockCode: ErrorCode): HubToClient[] {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    // seed: 5 wrong (the 5th included) → locked for 120 minutes.
    if (failures >= 5) {
      return [
        this.error(lockCode, {
          minutesLeft: LOCK_MINUTES,
          lockedUntil: new Date(Date.now() + LOCK_MINUTES * 60_000).toISOString(),
        }),
      ];
    }
    return [this.error(code, { captchaRequired: true, attemptsLeft: 5 - failures })];
  }

  private newCaptcha(purpose: "login" | "declaration"): HubToClient {
    const id = tok();
    const answer = String(randomInt(1000, 10000));
    this.captchas.set(id, answer);
    this.captchaAnswer = answer;
    return {
      type: "captcha",
      purpose,
      id,
      image: `data:image/png;base64,${drawCaptcha(answer).toString("base64")}`,
      expiresAt: new Date(Date.now() + 120_000).toISOString(),
    };
  }

  private onQrIssue(msg: ClientMessage<"qr.issue">, conn: FakeConnection): HubToClient[] {
    if (msg.replaces) {
      const old = this.tickets.get(msg.replaces);
      if (old) old.state = "expired";
    }
    const t: FakeTicket = {
      id: tok(),
      secret: tok(),
      state: "waiting",
      expiresAt: new Date(Date.now() + this.opts.qrTtlS * 1000).toISOString(),
      conn,
    };
    this.tickets.set(t.id, t);
    return [
      {
        type: "qr.ticket",
        ticketId: t.id,
        secret: t.secret,
        url: `${this.url}/app/qr/${t.id}`,
        expiresAt: t.expiresAt,
      },
    ];
  }

  private onRedeem(msg: ClientMessage<"qr.redeem">, conn: FakeConnection): HubToClient[] {
    const t = this.tickets.get(msg.ticketId);
    if (!t || t.secret !== msg.secret) return [this.error("TICKET_SECRET_WRONG")];
    if (t.state !== "confirmed" || t.grant !== msg.grant) return [this.error("GRANT_INVALID")];
    t.grant = undefined;
    const user = this.opts.users.find((u) => u.account === this.opts.phoneAccount);
    if (!user) return [this.error("INTERNAL")];
    const token = tok();
    this.sessions.set(token, { user, method: "qr" });
    conn.token = token;
    return [this.sessionMessage(token, user, "qr")];
  }

  private moveTicket(t: FakeTicket | undefined, state: TicketState, extra: Partial<FakeTicket> = {}): void {
    if (!t) throw new Error("no ticket to move");
    Object.assign(t, extra, { state });
    // Pushed if the client's socket is up; a resuming client reads it in its hello answer.
    if (t.conn && t.conn.ws.readyState === t.conn.ws.OPEN) this.push(this.ticketState(t), t.conn);
  }

  private ticketState(t: FakeTicket): HubToClient {
    return {
      type: "qr.state",
      ticketId: t.id,
      state: t.state,
      expiresAt: t.expiresAt,
      ...(t.maskedName && t.state !== "waiting" ? { maskedName: t.maskedName } : {}),
      ...(t.state === "confirmed" && t.grant ? { grant: t.grant } : {}),
    };
  }

  private sessionMessage(token: string, user: FakeUser, method: "password" | "qr"): HubToClient {
    const now = Date.now();
    return {
      type: "session",
      token,
      method,
      handler: user.handler,
      expiresAt: new Date(now + 8 * 3600_000).toISOString(),
      idleExpiresAt: new Date(now + this.idleMs).toISOString(),
    };
  }

  private withUser(conn: FakeConnection, fn: (user: FakeUser) => HubToClient[]): HubToClient[] {
    const known = conn.token ? this.sessions.get(conn.token) : undefined;
    return known ? fn(known.user) : [this.error("NOT_LOGGED_IN")];
  }

  private companyList(user: FakeUser): HubToClient {
    return {
      type: "company.list.result",
      companies: user.companies
        .filter((c) => !c.unlisted)
        .map((c) => {
          const failures = this.failures.get(`decl:${c.taxId}`) ?? 0;
          return {
            taxId: c.taxId,
            name: c.name,
            access: c.access,
            ca: this.caOffered && c.access === "bound" && c.local === true,
            ...(failures >= 5
              ? { lockedUntil: new Date(Date.now() + LOCK_MINUTES * 60_000).toISOString() }
              : {}),
          };
        }),
    };
  }

  private onAdd(msg: ClientMessage<"company.add">, user: FakeUser): HubToClient[] {
    if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(msg.taxId)) return [this.error("TAX_ID_INVALID")];
    const company = user.companies.find((c) => c.taxId === msg.taxId);
    if (!company) return [this.error("COMPANY_NOT_FOUND")];
    const out = this.onDeclaration({ ...msg, type: "declaration.verify" }, user);
    if (out[0]?.type === "company.entered") company.unlisted = false;
    return out;
  }

  private onDeclaration(msg: ClientMessage<"declaration.verify">, user: FakeUser): HubToClient[] {
    const company = user.companies.find((c) => c.taxId === msg.taxId);
    if (!company) return [this.error("COMPANY_NOT_FOUND")];
    const key = `decl:${company.taxId}`;
    const gate = this.checkGate(key, msg.captcha);
    if (gate) return gate;
    if (company.declarationPassword !== msg.declarationPassword) {
      return this.wrong(key, "DECLARATION_PASSWORD_WRONG", "DECLARATION_LOCKED");
    }
    this.failures.delete(key);
    return [this.enter(company, "declaration_password")];
  }

  private onAuthorization(msg: ClientMessage<"authorization.enter">, user: FakeUser): HubToClient[] {
    const company = user.companies.find((c) => c.taxId === msg.taxId);
    if (!this.authorizationActive) return [this.error("AUTHORIZATION_NOT_ACTIVE")];
    if (company?.access !== "authorized") return [this.error("NOT_AUTHORIZED")];
    return [this.enter(company, "authorization")];
  }

  private enter(company: FakeCompany, via: "declaration_password" | "authorization" | "ca"): HubToClient {
    return { type: "company.entered", taxId: company.taxId, name: company.name, via };
  }
}
