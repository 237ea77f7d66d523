import { ERRORS } from "../../shared/errors";
import {
  type ClientMessage,
  type ClientToHub,
  type HubMessage,
  type HubToClient,
  PROTOCOL_VERSION,
} from "../../shared/protocol";
import type {
  CaChallengeView,
  CaptchaPurpose,
  ClientView,
  CompanyPane,
  CompanyView,
  EnterMethod,
  GateView,
  HandlerView,
  HubOffer,
  Link,
  LoginMethod,
  LoginMode,
  QrView,
  Stage,
  UserAction,
} from "./view";

// The client's login flow as a pure function: (state, event, now) → { state, effects }.
// The worker feeds it hub messages, the person's actions and the socket's ups and downs, then
// persists what `persisted()` returns and sends what the effects say. No I/O here.
//
//   login ──session──▶ company ──company.entered──▶ workspace
//     ▲                  ▲  └───────切换单位──────────────┘
//     └──logout / session.ended / SESSION_EXPIRED──────────┘

export interface Gate extends Omit<GateView, "captchaImage"> {
  captcha?: { id: string; image: string };
}

export interface Ticket {
  id: string;
  secret: string;
  url: string;
  expiresAt: string;
}

export interface Session {
  token: string;
  method: LoginMethod;
  handler: HandlerView;
  expiresAt: string;
  /** When 30 idle minutes end it, on the hub's clock: moved by every step that counts as activity. */
  idleExpiresAt: string;
}

export interface FlowState {
  link: Link;
  hub?: HubOffer;
  stage: Stage;
  mode: LoginMode;
  login: Gate;
  qr: Omit<QrView, "url" | "expiresAt"> & { ticket?: Ticket; redeeming?: boolean };
  session?: Session;
  companies?: CompanyView[];
  pane: CompanyPane;
  selected?: string;
  declaration: Gate;
  ca?: CaChallengeView;
  add: Gate;
  entered?: { taxId: string; name: string; via: EnterMethod };
  /** 切换单位 was pressed: the next company list leaves the workspace. */
  switching?: boolean;
  notice?: string;
  /** 记住账号: the account of the last password login, kept in chrome.storage.local (never the password). */
  remembered?: string;
  /** The password login on its way, and whether its account is to be remembered once it succeeds. */
  loginTry?: { account: string; remember: boolean };
}

/** What survives a stopped service worker (chrome.storage.session): enough to resume. */
export interface Persisted {
  stage: Stage;
  mode: LoginMode;
  session?: Session;
  ticket?: Ticket;
  entered?: FlowState["entered"];
}

export type FlowEvent =
  | { kind: "hub"; msg: HubToClient }
  | { kind: "user"; action: UserAction }
  /** The connection's state machine changed state; `code` is set when a socket closed. */
  | { kind: "link"; state: "disconnected" | "connecting" | "connected"; code?: number }
  /** The hub's answer to "may this Origin connect?": the origin when refused, undefined when allowed. */
  | { kind: "origin"; refused?: string };

export type Effect = { kind: "send"; msg: ClientToHub } | { kind: "reconnect" };

export interface Step {
  state: FlowState;
  effects: Effect[];
}

const openGate = (): Gate => ({ pending: false, captchaRequired: false });

export function initialState(): FlowState {
  return {
    link: { status: "disconnected", away: false },
    stage: "login",
    mode: "password",
    login: openGate(),
    qr: { state: "none" },
    pane: "list",
    declaration: openGate(),
    add: openGate(),
  };
}

export function restore(p: Persisted | null | undefined, remembered?: string): FlowState {
  const s = { ...initialState(), remembered };
  if (!p) return s;
  // Without a session there is nothing past the login step to go back to.
  const stage: Stage = p.session ? p.stage : "login";
  return {
    ...s,
    stage,
    mode: p.mode,
    session: p.session,
    entered: stage === "workspace" ? p.entered : undefined,
    qr: p.ticket && stage === "login" ? { state: "waiting", ticket: p.ticket } : s.qr,
  };
}

export function persisted(s: FlowState): Persisted {
  return {
    stage: s.stage,
    mode: s.mode,
    session: s.session,
    ticket: liveTicket(s),
    entered: s.entered,
  };
}

/** A ticket still worth resuming: shown on the login step and not yet expired or cancelled. */
function liveTicket(s: FlowState): Ticket | undefined {
  const alive = s.qr.state === "waiting" || s.qr.state === "scanned" || s.qr.state === "confirmed";
  return s.stage === "login" && alive ? s.qr.ticket : undefined;
}

/** A login or QR ticket is under way, or someone is logged in: keep the socket alive and resume. */
export function inProgress(s: FlowState): boolean {
  return s.session !== undefined || liveTicket(s) !== undefined;
}

/** The hello of every (re)connect: carries what the hub needs to pick up where we were. */
export function hello(s: FlowState, version: string, os?: string): ClientMessage<"hello"> {
  const live = liveTicket(s);
  const resume = {
    ...(s.session ? { session: s.session.token } : {}),
    ...(live ? { ticket: { id: live.id, secret: live.secret } } : {}),
  };
  return {
    type: "hello",
    v: PROTOCOL_VERSION,
    client: { label: "扣缴客户端", version, ...(os ? { os } : {}) },
    ...(s.session || live ? { resume } : {}),
  };
}

/** The popup's copy: every secret left behind. */
export function toView(s: FlowState, hubUrl: string): ClientView {
  const gate = ({ captcha, ...g }: Gate): GateView => ({ ...g, captchaImage: captcha?.image });
  const { ticket, redeeming: _r, ...qr } = s.qr;
  return {
    hubUrl,
    link: s.link,
    hub: s.hub,
    stage: s.stage,
    mode: s.mode,
    login: gate(s.login),
    qr: { ...qr, url: ticket?.url, expiresAt: ticket?.expiresAt },
    session: s.session
      ? {
          method: s.session.method,
          handler: s.session.handler,
          expiresAt: s.session.expiresAt,
          idleExpiresAt: s.session.idleExpiresAt,
        }
      : undefined,
    companies: s.companies,
    pane: s.pane,
    selected: s.selected,
    declaration: gate(s.declaration),
    ca: s.ca,
    add: gate(s.add),
    entered: s.entered,
    notice: s.notice,
    rememberedAccount: s.remembered,
  };
}

export function step(s: FlowState, event: FlowEvent, now: number): Step {
  return active(next(s, event, now), now);
}

function next(s: FlowState, event: FlowEvent, now: number): Step {
  switch (event.kind) {
    case "hub":
      return onHub(s, event.msg, now);
    case "user":
      return onUser(s, event.action);
    case "link":
      return onLink(s, event.state, event.code);
    case "origin":
      return onOrigin(s, event.refused);
  }
}

// ── idleness ───────────────────────────────────────────────────────────────────────────────

/** The steps the hub counts as activity (they read the session: server/handshake/session.ts live()). */
const ACTIVITY = new Set<ClientToHub["type"]>([
  "company.list",
  "company.switch",
  "company.add",
  "declaration.verify",
  "authorization.enter",
  "ca.challenge",
  "ca.verify",
]);
const IDLE_MS = 30 * 60_000;
/** The hub records activity at most this often (server/sessions/store.ts TOUCH_EVERY_MS). */
const TOUCH_EVERY_MS = 30_000;

/** A step that counts as activity moves the idle deadline as the hub will, never past what it records. */
function active(r: Step, now: number): Step {
  const session = r.state.session;
  if (!session || !r.effects.some((e) => e.kind === "send" && ACTIVITY.has(e.msg.type))) return r;
  const hubNow = now + (r.state.hub?.clockOffsetMs ?? 0);
  const lastSeen = Date.parse(session.idleExpiresAt) - IDLE_MS;
  if (hubNow - lastSeen < TOUCH_EVERY_MS) return r;
  const idleEnd = Math.min(hubNow + IDLE_MS, Date.parse(session.expiresAt));
  const moved = { ...session, idleExpiresAt: new Date(idleEnd).toISOString() };
  return { ...r, state: { ...r.state, session: moved } };
}

const send = (msg: ClientToHub): Effect => ({ kind: "send", msg });
const stay = (state: FlowState, ...effects: Effect[]): Step => ({ state, effects });

// ── the socket ──────────────────────────────────────────────────────────────────────────────

/** Why the hub closed a socket for good, in the words of the error map. */
const FATAL_CLOSE: Record<number, string> = {
  1009: ERRORS.FRAME_TOO_LARGE,
  4000: ERRORS.HELLO_REQUIRED,
  4001: ERRORS.VERSION_UNSUPPORTED,
};

function onLink(s: FlowState, state: "disconnected" | "connecting" | "connected", code?: number): Step {
  if (state === "connected") return stay(s); // the welcome message does the rest
  const settled = { ...s, login: idle(s.login), declaration: idle(s.declaration), add: idle(s.add) };
  if (state === "connecting") {
    // A close code means a socket was lost; without one this is the first connect.
    // A refused origin stays on screen through the retries, until a welcome says otherwise.
    const refused = s.link.refused ? { refused: s.link.refused } : {};
    return stay({ ...settled, link: { status: "connecting", away: code !== undefined, ...refused } });
  }
  if (code === 4020) {
    // Usually session.ended came first and said why; keep its words. The ended session is not
    // resumed (the close code says so), but the person may log in again on a fresh socket.
    const notice = s.session ? "登录已失效，请重新登录" : s.notice;
    return stay(endSession({ ...settled, link: { status: "disconnected", away: false } }, notice), {
      kind: "reconnect",
    });
  }
  const fatal = code !== undefined ? FATAL_CLOSE[code] : undefined;
  return stay({ ...settled, link: { status: "disconnected", away: false, fatal } });
}

function onOrigin(s: FlowState, refused: string | undefined): Step {
  // An answer that arrives after the socket got in is stale.
  if (s.link.status === "connected" || s.link.refused === refused) return stay(s);
  const { refused: _old, ...link } = s.link;
  return stay({ ...s, link: refused ? { ...link, refused } : link });
}

const idle = (g: Gate): Gate => (g.pending ? { ...g, pending: false } : g);

// ── the hub ─────────────────────────────────────────────────────────────────────────────────

function onHub(s: FlowState, msg: HubToClient, now: number): Step {
  switch (msg.type) {
    case "welcome":
      return onWelcome(s, msg, now);
    case "pong":
      return stay(s);
    case "error":
      return onError(s, msg, now);
    case "captcha":
      return onCaptcha(s, msg);
    case "session":
      return onSession(s, msg);
    case "session.ended":
      // The hub's words, except after 退出: the person asked for it and needs no notice.
      return stay(endSession(s, msg.reason === "logout" ? undefined : msg.message));
    case "qr.ticket":
      if (s.stage !== "login" || s.mode !== "qr") return stay(s);
      return stay({
        ...s,
        qr: {
          state: "waiting",
          ticket: { id: msg.ticketId, secret: msg.secret, url: msg.url, expiresAt: msg.expiresAt },
        },
      });
    case "qr.state":
      return onQrState(s, msg);
    case "qr.rotated": {
      // The same ticket, new content: only the image changes (same countdown, no flicker).
      const ticket = s.qr.ticket;
      if (!ticket || ticket.id !== msg.ticketId || s.stage !== "login") return stay(s);
      return stay({ ...s, qr: { ...s.qr, ticket: { ...ticket, url: msg.url } } });
    }
    case "company.list.result":
      return onCompanies(s, msg.companies);
    case "company.entered":
      return stay({
        ...s,
        stage: "workspace",
        entered: { taxId: msg.taxId, name: msg.name, via: msg.via },
        declaration: openGate(),
        add: openGate(),
        ca: undefined,
        switching: false,
      });
    case "ca.challenge.result":
      return stay({
        ...s,
        ca: { taxId: msg.taxId, nonce: msg.nonce, expiresAt: msg.expiresAt },
        declaration: idle(s.declaration),
      });
  }
}

function onWelcome(s: FlowState, msg: HubMessage<"welcome">, now: number): Step {
  const next: FlowState = {
    ...s,
    link: { status: "connected", away: false },
    hub: {
      caOffered: msg.caOffered,
      authorizationActive: msg.authorizationActive,
      qrTtlS: msg.qrTtlS,
      clockOffsetMs: Date.parse(msg.serverTime) - now,
    },
  };
  // Resumed tickets are answered by a qr.state push; a QR screen without a ticket asks for one.
  if (s.stage === "login" && s.mode === "qr" && !s.qr.ticket) {
    return stay({ ...next, qr: { state: "none" } }, send({ type: "qr.issue" }));
  }
  if (s.stage === "company") return stay(next, send({ type: "company.list" }));
  return stay(next);
}

function onSession(s: FlowState, msg: HubMessage<"session">): Step {
  const session: Session = {
    token: msg.token,
    method: msg.method,
    handler: msg.handler,
    expiresAt: msg.expiresAt,
    idleExpiresAt: msg.idleExpiresAt,
  };
  // The hub may confirm a resumed session: keep the step we were on.
  if (s.session?.token === msg.token && s.stage !== "login") return stay({ ...s, session });
  // 记住账号 is settled by a password login that worked: kept if ticked, forgotten if not.
  const remembered =
    s.loginTry && msg.method === "password"
      ? s.loginTry.remember
        ? s.loginTry.account
        : undefined
      : s.remembered;
  return stay(
    {
      ...s,
      stage: "company",
      session,
      remembered,
      loginTry: undefined,
      login: openGate(),
      qr: { state: "none" },
      companies: undefined,
      pane: "list",
      selected: undefined,
      notice: undefined,
    },
    send({ type: "company.list" }),
  );
}

function onCompanies(s: FlowState, companies: CompanyView[]): Step {
  if (!s.session || s.stage === "login") return stay(s);
  // In the workspace only an asked-for list (切换单位) leads back to the company step.
  if (s.stage === "workspace" && !s.switching) return stay({ ...s, companies });
  const base = {
    ...s,
    stage: "company" as const,
    companies,
    entered: undefined,
    ca: undefined,
    switching: false,
  };
  // A fresh copy of the list (after a reconnect) leaves the person on the form they were at.
  if (s.stage === "company" && s.companies !== undefined) {
    if (s.pane === "enter" && companies.some((c) => c.taxId === s.selected)) return stay(base);
    if (s.pane === "add") return stay(base);
  }
  // seed 1.3.1: one company → straight to its declaration password.
  const only = companies.length === 1 ? companies[0] : undefined;
  if (only) return stay({ ...base, pane: "enter", selected: only.taxId });
  if (companies.length === 0) return stay({ ...base, pane: "add", selected: undefined });
  // seed 1.3.2: several → pick one (keep the selection if it is still there).
  const selected = companies.some((c) => c.taxId === s.selected) ? s.selected : companies[0]?.taxId;
  return stay({ ...base, pane: "list", selected });
}

function onQrState(s: FlowState, msg: HubMessage<"qr.state">): Step {
  const ticket = s.qr.ticket;
  if (!ticket || ticket.id !== msg.ticketId || s.stage !== "login") return stay(s);
  const qr = { ...s.qr, state: msg.state, maskedName: msg.maskedName ?? s.qr.maskedName, error: undefined };
  switch (msg.state) {
    case "confirmed":
      // The phone said yes: trade the one-time grant for a session, once.
      if (!msg.grant || s.qr.redeeming) return stay({ ...s, qr });
      return stay(
        { ...s, qr: { ...qr, redeeming: true } },
        send({ type: "qr.redeem", ticketId: ticket.id, secret: ticket.secret, grant: msg.grant }),
      );
    case "cancelled":
      // Cancelled on the phone: the popup says so over the old QR, then asks for a fresh one (qr.refresh).
      return stay({ ...s, qr: { state: "cancelled", ticket, maskedName: undefined, error: undefined } });
    default:
      return stay({ ...s, qr });
  }
}

function onCaptcha(s: FlowState, msg: HubMessage<"captcha">): Step {
  const captcha = { id: msg.id, image: msg.image };
  if (msg.purpose === "login") return stay({ ...s, login: { ...s.login, captcha, captchaRequired: true } });
  if (s.pane === "add") return stay({ ...s, add: { ...s.add, captcha, captchaRequired: true } });
  return stay({ ...s, declaration: { ...s.declaration, captcha, captchaRequired: true } });
}

const QR_DEAD = new Set([
  "TICKET_NOT_FOUND",
  "TICKET_EXPIRED",
  "TICKET_USED",
  "TICKET_SECRET_WRONG",
  "GRANT_INVALID",
]);

function onError(s: FlowState, e: HubMessage<"error">, now: number): Step {
  if (e.code === "SESSION_EXPIRED" || e.code === "NOT_LOGGED_IN") {
    // Already back at the login (e.g. the answer to a request sent before the hub refused the resume).
    return stay(s.session || s.stage !== "login" ? endSession(s, e.message) : s);
  }
  if (e.code === "HELLO_REQUIRED" || e.code === "VERSION_UNSUPPORTED") {
    return stay({ ...s, link: { ...s.link, fatal: e.message } });
  }
  if (s.stage === "login" && s.mode === "qr") {
    // A ticket the hub no longer knows is as good as expired: the person presses 刷新.
    const dead = QR_DEAD.has(e.code);
    return stay({
      ...s,
      qr: { ...s.qr, state: dead ? "expired" : s.qr.state, error: e.message, redeeming: false },
    });
  }
  const purpose: CaptchaPurpose = s.stage === "login" ? "login" : "declaration";
  const key =
    s.stage === "login" ? "login" : s.stage === "company" ? (s.pane === "add" ? "add" : "declaration") : null;
  if (!key) return stay({ ...s, notice: e.message });
  const gate = refuse(s[key], e, now);
  // CA refused (its cut-off passed, or not a 本市单位): that company's CA tab goes.
  const companies = CA_GONE.has(e.code) ? withoutCa(s.companies, s.selected) : s.companies;
  // A captcha answered with the refused try is spent (even when the answer is "locked"): fetch a new one
  // whenever the next try will need it.
  const spent = s[key].captcha !== undefined;
  const effects =
    e.captchaRequired || (spent && gate.captchaRequired) ? [send({ type: "captcha.new", purpose })] : [];
  return stay({ ...s, companies, [key]: gate }, ...effects);
}

const CA_GONE = new Set(["CA_NOT_OFFERED", "CA_NOT_LOCAL"]);

/** The hub listed this company as one that may verify by CA now. */
function caListed(s: FlowState, taxId: string): boolean {
  return s.companies?.some((c) => c.taxId === taxId && c.ca) === true;
}

function withoutCa(companies: CompanyView[] | undefined, taxId: string | undefined) {
  return companies?.map((c) => (c.taxId === taxId ? { ...c, ca: false } : c));
}

/** The hub said no to a form: show its words, and what it says about captcha, tries and lock. */
function refuse(g: Gate, e: HubMessage<"error">, now: number): Gate {
  const lockedMinutes =
    e.minutesLeft ??
    (e.lockedUntil ? Math.max(0, Math.ceil((Date.parse(e.lockedUntil) - now) / 60_000)) : undefined);
  return {
    pending: false,
    error: e.message,
    code: e.code,
    captchaRequired: e.captchaRequired ?? g.captchaRequired,
    // The captcha answered with this try is spent; a new image is on its way.
    captcha: undefined,
    attemptsLeft: e.attemptsLeft,
    lockedMinutes,
    links: e.links,
  };
}

function endSession(s: FlowState, notice?: string): FlowState {
  const fresh = initialState();
  return { ...fresh, link: s.link, hub: s.hub, mode: "password", notice, remembered: s.remembered };
}

// ── the person ──────────────────────────────────────────────────────────────────────────────

function onUser(s: FlowState, a: UserAction): Step {
  const online = s.link.status === "connected";
  switch (a.type) {
    case "mode":
      return onMode(s, a.mode);
    case "login": {
      if (!online || s.stage !== "login") return stay(s);
      const captcha = answer(s.login, a.captcha);
      return stay(
        {
          ...s,
          login: { ...s.login, pending: true, error: undefined },
          notice: undefined,
          loginTry: { account: a.account, remember: a.remember === true },
        },
        send({ type: "login.password", account: a.account, password: a.password, ...captcha }),
      );
    }
    case "captcha.refresh":
      return online ? stay(s, send({ type: "captcha.new", purpose: a.purpose })) : stay(s);
    case "qr.refresh": {
      if (!online || s.stage !== "login") return stay(s);
      const live = s.qr.ticket && (s.qr.state === "waiting" || s.qr.state === "scanned");
      return stay(
        { ...s, mode: "qr", qr: { state: "none" } },
        send({ type: "qr.issue", ...(live ? { replaces: s.qr.ticket?.id } : {}) }),
      );
    }
    case "company.open":
      if (s.stage !== "company") return stay(s);
      // The ways into it are the hub's of this moment (CA ends at its cut-off): ask for the list again.
      return stay(
        { ...s, pane: "enter", selected: a.taxId, declaration: openGate(), ca: undefined },
        ...(online ? [send({ type: "company.list" })] : []),
      );
    case "company.list":
      return s.stage === "company" ? stay({ ...s, pane: "list", ca: undefined }) : stay(s);
    case "company.addForm":
      return s.stage === "company" ? stay({ ...s, pane: "add", add: openGate() }) : stay(s);
    case "company.add": {
      if (!online || s.stage !== "company") return stay(s);
      const captcha = answer(s.add, a.captcha);
      return stay(
        { ...s, add: { ...s.add, pending: true, error: undefined } },
        send({ type: "company.add", taxId: a.taxId, declarationPassword: a.declarationPassword, ...captcha }),
      );
    }
    case "declaration": {
      if (!online || s.stage !== "company") return stay(s);
      const captcha = answer(s.declaration, a.captcha);
      return stay(
        { ...s, declaration: { ...s.declaration, pending: true, error: undefined } },
        send({
          type: "declaration.verify",
          taxId: a.taxId,
          declarationPassword: a.declarationPassword,
          ...captcha,
        }),
      );
    }
    case "authorization":
      if (!online || s.stage !== "company") return stay(s);
      return stay(
        { ...s, declaration: { ...s.declaration, pending: true, error: undefined } },
        send({ type: "authorization.enter", taxId: a.taxId }),
      );
    case "ca.challenge":
      if (!online || s.stage !== "company" || !caListed(s, a.taxId)) return stay(s);
      return stay(
        { ...s, ca: undefined, declaration: { ...s.declaration, pending: true, error: undefined } },
        send({ type: "ca.challenge", taxId: a.taxId }),
      );
    case "ca.verify":
      if (!online || s.stage !== "company") return stay(s);
      return stay(
        { ...s, declaration: { ...s.declaration, pending: true, error: undefined } },
        send({ type: "ca.verify", taxId: a.taxId, certificate: a.certificate, signature: a.signature }),
      );
    case "session.keep":
      // 继续使用: a fresh company list is a step the hub counts as activity, and changes nothing on screen.
      if (!online || !s.session || s.stage === "login") return stay(s);
      return stay(s, send({ type: "company.list" }));
    case "company.switch":
      if (!online || s.stage !== "workspace") return stay(s);
      return stay({ ...s, switching: true }, send({ type: "company.switch" }));
    case "logout":
      // Leave at once; the hub ends the session when it reads this (or when it expires).
      return stay(endSession(s), ...(online && s.session ? [send({ type: "logout" })] : []));
    case "reconnect":
      return stay({ ...s, link: { ...s.link, fatal: undefined } }, { kind: "reconnect" });
    case "notice.dismiss":
      return stay({ ...s, notice: undefined });
  }
}

function onMode(s: FlowState, mode: LoginMode): Step {
  if (s.stage !== "login" || s.mode === mode) return stay(s);
  const ticket = s.qr.ticket;
  if (mode === "qr") {
    const next = { ...s, mode, qr: { state: "none" as const } };
    return s.link.status === "connected" ? stay(next, send({ type: "qr.issue" })) : stay(next);
  }
  // Leaving QR mode: the waiting ticket dies with it.
  const live = ticket && (s.qr.state === "waiting" || s.qr.state === "scanned");
  const effects =
    live && s.link.status === "connected"
      ? [send({ type: "qr.cancel", ticketId: ticket.id, secret: ticket.secret })]
      : [];
  return stay({ ...s, mode, qr: { state: "none" } }, ...effects);
}

/** The captcha answer goes with the try only while one is shown. */
function answer(g: Gate, text: string | undefined): { captcha?: { id: string; answer: string } } {
  const value = text?.trim();
  return g.captcha && value ? { captcha: { id: g.captcha.id, answer: value.slice(0, 8) } } : {};
}
