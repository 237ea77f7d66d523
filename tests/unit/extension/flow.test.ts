import { describe, expect, it } from "vitest";
import {
  type Effect,
  type FlowEvent,
  type FlowState,
  hello,
  initialState,
  inProgress,
  persisted,
  restore,
  step,
  toView,
} from "../../../extension/core/flow";
import type { UserAction } from "../../../extension/core/view";
import { errorBody } from "../../../shared/errors";
import { type ClientToHub, type HubToClient, SESSION_END_MESSAGES } from "../../../shared/protocol";

const NOW = Date.parse("2025-03-01T08:00:00Z");
const T = (s: string) => s.padEnd(22, "0");
const TICKET = T("ticket");
const SECRET = T("secret");
const GRANT = T("grant");
const TOKEN = T("token");
const CAPTCHA = T("captcha");
const IMAGE = "data:image/png;base64,AA";

const hub = (msg: HubToClient): FlowEvent => ({ kind: "hub", msg });
const user = (action: UserAction): FlowEvent => ({ kind: "user", action });
const err = (code: Parameters<typeof errorBody>[0], data: Record<string, unknown> = {}): FlowEvent =>
  hub({ type: "error", ...errorBody(code, data) } as HubToClient);

const welcome = (over: Partial<Extract<HubToClient, { type: "welcome" }>> = {}): FlowEvent =>
  hub({
    type: "welcome",
    v: 1,
    node: "n1",
    publicUrl: "http://127.0.0.1:8080",
    serverTime: new Date(NOW + 5000).toISOString(),
    caOffered: false,
    authorizationActive: true,
    qrTtlS: 120,
    ...over,
  });

const session = (token = TOKEN, method: "password" | "qr" = "password"): FlowEvent =>
  hub({
    type: "session",
    token,
    method,
    handler: { name: "张三", maskedName: "*三", maskedIdNumber: "1101**********4514", idType: "居民身份证" },
    expiresAt: "2025-03-01T16:00:00Z",
    idleExpiresAt: "2025-03-01T08:30:00Z",
  });

/** `ca`: the companies (by index) the hub lists as able to verify by CA now. */
const companies = (n: number, access: "bound" | "authorized" = "bound", ca: number[] = []): FlowEvent =>
  hub({
    type: "company.list.result",
    companies: Array.from({ length: n }, (_, i) => ({
      taxId: `9111010800000000${i}X`,
      name: `单位${i}`,
      access,
      ca: ca.includes(i),
    })),
  });

/** The hub's captcha image for a form (its text is never in the client). */
const captchaImage = (purpose: "login" | "declaration"): FlowEvent =>
  hub({ type: "captcha", purpose, id: CAPTCHA, image: IMAGE, expiresAt: "2025-03-01T08:02:00Z" });
/** Online, after a wrong password that asks for a captcha, with its image shown. */
const withLoginCaptcha = (attemptsLeft: number) =>
  run(
    online(),
    err("ACCOUNT_OR_PASSWORD_WRONG", { captchaRequired: true, attemptsLeft }),
    captchaImage("login"),
  ).state;
const ticket: FlowEvent = hub({
  type: "qr.ticket",
  ticketId: TICKET,
  secret: SECRET,
  url: `http://127.0.0.1:8080/app/qr/${TICKET}`,
  expiresAt: "2025-03-01T08:02:00Z",
});

const qrState = (
  state: "waiting" | "scanned" | "confirmed" | "cancelled" | "expired",
  extra = {},
): FlowEvent =>
  hub({ type: "qr.state", ticketId: TICKET, state, expiresAt: "2025-03-01T08:02:00Z", ...extra });

/** Fold events from a state; return the last state and every effect on the way. */
function run(from: FlowState, ...events: FlowEvent[]): { state: FlowState; effects: Effect[] } {
  let state = from;
  const effects: Effect[] = [];
  for (const e of events) {
    const r = step(state, e, NOW);
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

/** The named fields of an object, missing ones as undefined: for asserting "gone" as well as "set". */
function pick<T extends object>(obj: T, expected: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, (obj as Record<string, unknown>)[k]]));
}

const sent = (effects: Effect[]): ClientToHub[] => effects.flatMap((e) => (e.kind === "send" ? [e.msg] : []));

const online = () => run(initialState(), { kind: "link", state: "connecting" }, welcome()).state;
const loggedIn = () => run(online(), session()).state;
/** Logged in with three companies, one of them opened from the list. */
const companyOpened = (taxId: string) =>
  run(loggedIn(), companies(3), user({ type: "company.open", taxId })).state;
/** Logged in and inside the one company, entered `via`. */
const inCompany = (via: "authorization" | "declaration_password") =>
  run(loggedIn(), companies(1), hub({ type: "company.entered", taxId: "X", name: "单位", via })).state;
const qrMode = () => run(online(), user({ type: "mode", mode: "qr" }), ticket).state;

describe("the login step", () => {
  it("starts on account + password, not connected", () => {
    const v = toView(initialState(), "http://hub");
    expect(v).toMatchObject({
      stage: "login",
      mode: "password",
      link: { status: "disconnected", away: false },
    });
  });

  it("is online after the welcome, and learns what the hub offers", () => {
    const s = online();
    expect(s.link).toEqual({ status: "connected", away: false });
    expect(s.hub).toEqual({ caOffered: false, authorizationActive: true, qrTtlS: 120, clockOffsetMs: 5000 });
  });

  it.each<[string, FlowEvent, Partial<FlowState["login"]>, ClientToHub[]]>([
    [
      "a wrong password asks for a captcha and shows the tries left",
      err("ACCOUNT_OR_PASSWORD_WRONG", { captchaRequired: true, attemptsLeft: 4 }),
      { error: "账号或密码错误", captchaRequired: true, attemptsLeft: 4, pending: false },
      [{ type: "captcha.new", purpose: "login" }],
    ],
    [
      "the 5th wrong password shows the lock with its minutes",
      err("ACCOUNT_LOCKED", { minutesLeft: 120 }),
      { code: "ACCOUNT_LOCKED", lockedMinutes: 120, attemptsLeft: undefined },
      [],
    ],
    [
      "a lock given as an end time is shown in minutes, rounded up",
      err("ACCOUNT_LOCKED", { lockedUntil: new Date(NOW + 61 * 60_000 + 1).toISOString() }),
      { lockedMinutes: 62 },
      [],
    ],
    [
      "a wrong captcha keeps asking for one",
      err("CAPTCHA_WRONG", { captchaRequired: true }),
      { error: "验证码错误，请重新输入", captchaRequired: true },
      [{ type: "captcha.new", purpose: "login" }],
    ],
    [
      "a busy hub says so, and the form can be sent again",
      err("RATE_LIMITED"),
      { error: "操作过于频繁，请稍后再试", pending: false, captchaRequired: false },
      [],
    ],
  ])("%s", (_name, event, expected, out) => {
    const pending = run(online(), user({ type: "login", account: "13800138000", password: "x" })).state;
    expect(pending.login.pending).toBe(true);
    const r = run(pending, event);
    expect(r.state.login).toMatchObject(expected);
    expect(sent(r.effects)).toEqual(out);
  });

  it("shows the captcha image and sends its answer with the next try", () => {
    const s = withLoginCaptcha(4);
    expect(toView(s, "").login.captchaImage).toBe(IMAGE);
    const r = run(s, user({ type: "login", account: "a", password: "p", captcha: " ab12 " }));
    expect(sent(r.effects)).toEqual([
      { type: "login.password", account: "a", password: "p", captcha: { id: CAPTCHA, answer: "ab12" } },
    ]);
  });

  it("drops a captcha spent on a try that locked the account, and fetches a fresh one", () => {
    const withCaptcha = withLoginCaptcha(1);
    // The hub's lock answer says nothing about captchas; the one sent with the 5th try is used up all the same.
    const r = run(withCaptcha, err("ACCOUNT_LOCKED", { minutesLeft: 120 }));
    expect(toView(r.state, "").login.captchaImage).toBeUndefined();
    expect(r.state.login).toMatchObject({ lockedMinutes: 120, captchaRequired: true });
    expect(sent(r.effects)).toEqual([{ type: "captcha.new", purpose: "login" }]);
  });

  it("never lets a password lock block the QR: the locked account still logs in by scanning", () => {
    const pending = run(online(), user({ type: "login", account: "13800138000", password: "x" })).state;
    const locked = run(pending, err("ACCOUNT_LOCKED", { minutesLeft: 120 })).state;
    const toQr = run(locked, user({ type: "mode", mode: "qr" }));
    expect(sent(toQr.effects)).toEqual([{ type: "qr.issue" }]);
    const scanned = run(toQr.state, ticket, qrState("confirmed", { grant: GRANT, maskedName: "*三" }));
    expect(sent(scanned.effects)).toEqual([
      { type: "qr.redeem", ticketId: TICKET, secret: SECRET, grant: GRANT },
    ]);
    const r = run(scanned.state, session(TOKEN, "qr"));
    expect(r.state.stage).toBe("company");
  });

  it("asks for a new captcha when the image is clicked", () => {
    expect(sent(run(online(), user({ type: "captcha.refresh", purpose: "login" })).effects)).toEqual([
      { type: "captcha.new", purpose: "login" },
    ]);
  });

  it("sends nothing while the socket is down", () => {
    const r = run(initialState(), user({ type: "login", account: "a", password: "p" }));
    expect(r.effects).toEqual([]);
    expect(r.state.login.pending).toBe(false);
  });

  it("goes to the company step on a session and asks for the list", () => {
    const r = run(online(), session());
    expect(r.state.stage).toBe("company");
    expect(r.state.companies).toBeUndefined();
    expect(sent(r.effects)).toEqual([{ type: "company.list" }]);
  });
});

describe("QR login", () => {
  it("swaps the QR's content when the hub rotates it, keeping the ticket and its countdown", () => {
    const rotated = `http://127.0.0.1:8080/app/qr/${TICKET}?s=Ab3_-xYz012`;
    const s = run(qrMode(), hub({ type: "qr.rotated", ticketId: TICKET, url: rotated })).state;
    expect(toView(s, "").qr).toMatchObject({
      state: "waiting",
      url: rotated,
      expiresAt: "2025-03-01T08:02:00Z",
    });
    expect(s.qr.ticket?.secret).toBe(SECRET);
    // another ticket's rotation changes nothing
    const other = run(s, hub({ type: "qr.rotated", ticketId: T("other"), url: "http://x/app/qr/y" })).state;
    expect(toView(other, "").qr.url).toBe(rotated);
  });

  it("leaves 扫描成功 for 二维码已失效 when the hub says the scanned ticket expired", () => {
    const s = run(qrMode(), qrState("scanned", { maskedName: "*三" }), qrState("expired")).state;
    expect(toView(s, "").qr.state).toBe("expired");
  });

  it("names the computer's system in hello, when it knows it", () => {
    expect(hello(online(), "1.0.0", "Windows").client).toEqual({
      label: "扣缴客户端",
      version: "1.0.0",
      os: "Windows",
    });
    expect(hello(online(), "1.0.0").client).toEqual({ label: "扣缴客户端", version: "1.0.0" });
  });

  it("asks for a ticket when the corner switch is pressed", () => {
    const r = run(online(), user({ type: "mode", mode: "qr" }));
    expect(r.state.mode).toBe("qr");
    expect(sent(r.effects)).toEqual([{ type: "qr.issue" }]);
  });

  it("shows the ticket's URL, never its secret", () => {
    const v = toView(qrMode(), "");
    expect(v.qr).toEqual({
      state: "waiting",
      url: `http://127.0.0.1:8080/app/qr/${TICKET}`,
      expiresAt: "2025-03-01T08:02:00Z",
    });
    expect(JSON.stringify(v)).not.toContain(SECRET);
  });

  it.each<[string, FlowEvent, Partial<FlowState["qr"]>, ClientToHub[]]>([
    [
      "scanned shows who scanned",
      qrState("scanned", { maskedName: "*三" }),
      { state: "scanned", maskedName: "*三" },
      [],
    ],
    ["expired greys the QR out", qrState("expired"), { state: "expired" }, []],
    [
      "cancelled on the phone is shown, with no new QR until asked (the popup asks after a moment)",
      qrState("cancelled"),
      { state: "cancelled" },
      [],
    ],
    [
      "confirmed redeems the grant with the secret",
      qrState("confirmed", { grant: GRANT, maskedName: "*三" }),
      { state: "confirmed", redeeming: true },
      [{ type: "qr.redeem", ticketId: TICKET, secret: SECRET, grant: GRANT }],
    ],
    [
      "a ticket the hub no longer knows is shown as expired",
      err("TICKET_NOT_FOUND"),
      { state: "expired", error: "二维码不存在或已失效，请刷新" },
      [],
    ],
  ])("%s", (_name, event, expected, out) => {
    const r = run(qrMode(), event);
    expect(pick(r.state.qr, expected)).toEqual(expected);
    expect(sent(r.effects)).toEqual(out);
  });

  it("redeems a confirmation only once, even if it is pushed twice", () => {
    const confirmed = qrState("confirmed", { grant: GRANT });
    expect(sent(run(qrMode(), confirmed, confirmed).effects)).toHaveLength(1);
  });

  it("ignores pushes about another ticket", () => {
    const other = hub({
      type: "qr.state",
      ticketId: T("other"),
      state: "confirmed",
      grant: GRANT,
      expiresAt: "2025-03-01T08:02:00Z",
    });
    expect(run(qrMode(), other).effects).toEqual([]);
  });

  it("刷新 replaces a live ticket, and asks plainly after an expired one", () => {
    expect(sent(run(qrMode(), user({ type: "qr.refresh" })).effects)).toEqual([
      { type: "qr.issue", replaces: TICKET },
    ]);
    expect(sent(run(qrMode(), qrState("expired"), user({ type: "qr.refresh" })).effects)).toEqual([
      { type: "qr.issue" },
    ]);
  });

  it("cancels the waiting ticket when switching back to the password", () => {
    const r = run(qrMode(), user({ type: "mode", mode: "password" }));
    expect(r.state.qr).toEqual({ state: "none" });
    expect(sent(r.effects)).toEqual([{ type: "qr.cancel", ticketId: TICKET, secret: SECRET }]);
  });

  it("asks for a ticket on (re)connect when the QR screen has none", () => {
    const s = run(initialState(), user({ type: "mode", mode: "qr" })).state;
    expect(sent(run(s, welcome()).effects)).toEqual([{ type: "qr.issue" }]);
  });
});

describe("the company step (seed 1.3)", () => {
  it.each<[string, FlowEvent, Partial<FlowState>]>([
    [
      "one company goes straight to its password",
      companies(1),
      { pane: "enter", selected: "91110108000000000X" },
    ],
    [
      "several companies show the list, first selected",
      companies(3),
      { pane: "list", selected: "91110108000000000X" },
    ],
    ["no company yet opens 添加", companies(0), { pane: "add", selected: undefined }],
  ])("%s", (_name, event, expected) => {
    const want = { stage: "company", ...expected };
    expect(pick(run(loggedIn(), event).state, want)).toEqual(want);
  });

  it("stays on the open company when a reconnect brings the list again", () => {
    const open = companyOpened("91110108000000002X");
    const again = run(open, { kind: "link", state: "connecting", code: 1006 }, welcome(), companies(3)).state;
    expect(pick(again, { pane: 1, selected: 1 })).toEqual({ pane: "enter", selected: "91110108000000002X" });
    const adding = run(loggedIn(), companies(3), user({ type: "company.addForm" }), companies(3)).state;
    expect(adding.pane).toBe("add");
  });

  it("opens a company picked from the list", () => {
    const s = companyOpened("91110108000000002X");
    expect(s).toMatchObject({ pane: "enter", selected: "91110108000000002X" });
  });

  it.each<[string, UserAction, ClientToHub]>([
    [
      "the declaration password",
      { type: "declaration", taxId: "X1", declarationPassword: "Decl2020ok" },
      { type: "declaration.verify", taxId: "X1", declarationPassword: "Decl2020ok" },
    ],
    [
      "adding a company",
      { type: "company.add", taxId: "X1", declarationPassword: "Decl2020ok" },
      { type: "company.add", taxId: "X1", declarationPassword: "Decl2020ok" },
    ],
    [
      "an authorized entry",
      { type: "authorization", taxId: "X1" },
      { type: "authorization.enter", taxId: "X1" },
    ],
  ])("sends %s", (_name, action, msg) => {
    expect(
      sent(
        run(
          loggedIn(),
          companies(2),
          action.type === "company.add"
            ? user({ type: "company.addForm" })
            : user({ type: "company.open", taxId: "X1" }),
          user(action),
        ).effects,
      ),
    ).toContainEqual(msg);
  });

  it("shows a wrong declaration password on the declaration form, with a captcha next", () => {
    const r = run(
      loggedIn(),
      companies(1),
      user({ type: "declaration", taxId: "91110108000000000X", declarationPassword: "bad" }),
      err("DECLARATION_PASSWORD_WRONG", { captchaRequired: true, attemptsLeft: 3 }),
    );
    expect(r.state.declaration).toMatchObject({
      error: "申报密码错误",
      captchaRequired: true,
      attemptsLeft: 3,
    });
    expect(sent(r.effects)).toContainEqual({ type: "captcha.new", purpose: "declaration" });
  });

  it("shows errors of the add form on the add form", () => {
    const r = run(loggedIn(), companies(0), err("TAX_ID_INVALID"));
    expect(r.state.add.error).toBe("纳税人识别号格式不正确");
    expect(r.state.declaration.error).toBeUndefined();
  });

  it("asks for CA only for a company the hub listed with CA, whatever its welcome said", () => {
    const [local, other] = ["91110108000000000X", "91110108000000001X"];
    const listed = run(online(), welcome({ caOffered: true }), session(), companies(2, "bound", [0])).state;
    expect(sent(run(listed, user({ type: "ca.challenge", taxId: local })).effects)).toEqual([
      { type: "ca.challenge", taxId: local },
    ]);
    expect(run(listed, user({ type: "ca.challenge", taxId: other })).effects).toEqual([]);
  });

  it("asks for the list again when a company is opened, and drops CA if the hub no longer lists it", () => {
    const taxId = "91110108000000000X";
    const before = run(online(), welcome({ caOffered: true }), session(), companies(2, "bound", [0])).state;
    const opened = run(before, user({ type: "company.open", taxId }));
    expect(sent(opened.effects)).toEqual([{ type: "company.list" }]);
    // The cut-off passed while the socket stayed open: the fresh list has no CA, the form stays.
    const after = run(opened.state, companies(2)).state;
    expect(after).toMatchObject({ pane: "enter", selected: taxId });
    expect(after.companies?.[0]?.ca).toBe(false);
    expect(run(after, user({ type: "ca.challenge", taxId })).effects).toEqual([]);
  });

  it.each(["CA_NOT_OFFERED", "CA_NOT_LOCAL"] as const)(
    "drops the company's CA when the hub answers %s",
    (code) => {
      const taxId = "91110108000000000X";
      const opened = run(loggedIn(), companies(2, "bound", [0]), user({ type: "company.open", taxId }));
      const r = run(opened.state, user({ type: "ca.challenge", taxId }), err(code));
      expect(r.state.companies?.map((c) => c.ca)).toEqual([false, false]);
      expect(r.state.declaration).toMatchObject({ pending: false, code });
    },
  );

  it("enters the workspace, and 切换单位 brings the list back", () => {
    const inside = run(
      loggedIn(),
      companies(2),
      hub({
        type: "company.entered",
        taxId: "91110108000000000X",
        name: "单位0",
        via: "declaration_password",
      }),
    ).state;
    expect(inside).toMatchObject({
      stage: "workspace",
      entered: { name: "单位0", via: "declaration_password" },
    });
    // An unasked list (e.g. after a resume) does not pull the person out of the workspace.
    expect(run(inside, companies(2)).state.stage).toBe("workspace");
    const r = run(inside, user({ type: "company.switch" }), companies(2));
    expect(sent(r.effects)).toEqual([{ type: "company.switch" }]);
    const expected = { stage: "company", pane: "list", entered: undefined };
    expect(pick(r.state, expected)).toEqual(expected);
  });
});

describe("the session and the socket", () => {
  it("退出 leaves at once and tells the hub", () => {
    const r = run(loggedIn(), user({ type: "logout" }));
    const expected = { stage: "login", session: undefined, mode: "password" };
    expect(pick(r.state, expected)).toEqual(expected);
    expect(sent(r.effects)).toEqual([{ type: "logout" }]);
  });

  it.each([
    ["expired", "登录已过期，请重新登录"],
    ["password_reset", "密码已重置，请重新登录"],
    ["authorization_revoked", "办税授权已被撤销，请重新登录"],
    ["replaced", "您的账号已在其他地方登录，请重新登录"],
    ["logout", undefined],
  ] as const)("session.ended (%s) returns to the login with the hub's words", (reason, notice) => {
    const message = SESSION_END_MESSAGES[reason];
    const s = run(loggedIn(), hub({ type: "session.ended", reason, message })).state;
    const expected = { stage: "login", session: undefined, notice };
    expect(pick(s, expected)).toEqual(expected);
  });

  it("SESSION_EXPIRED from the hub ends the session with its message", () => {
    expect(run(loggedIn(), err("SESSION_EXPIRED")).state).toMatchObject({
      stage: "login",
      notice: "登录已过期，请重新登录",
    });
  });

  it.each<[string, FlowEvent, FlowState["link"]]>([
    [
      "a lost socket shows the reconnect banner",
      { kind: "link", state: "connecting", code: 1006 },
      { status: "connecting", away: true },
    ],
    [
      "the first connect is not 'away'",
      { kind: "link", state: "connecting" },
      { status: "connecting", away: false },
    ],
    [
      "an unsupported version stays down with the reason",
      { kind: "link", state: "disconnected", code: 4001 },
      { status: "disconnected", away: false, fatal: "客户端版本过低，请升级后再试" },
    ],
  ])("%s", (_name, event, link) => {
    expect(run(online(), event).state.link).toEqual(link);
  });

  it("keeps a refused origin on screen through the retries until a welcome, and drops a stale answer", () => {
    const origin = "moz-extension://0b7d3c2e-5a61-4c7e-9f3a-2d1e8b6a4c10";
    const failing = run(
      initialState(),
      { kind: "link", state: "connecting" },
      { kind: "link", state: "connecting", code: 1006 },
    ).state;
    const refused = run(failing, { kind: "origin", refused: origin }).state;
    expect(refused.link).toEqual({ status: "connecting", away: true, refused: origin });
    expect(run(refused, { kind: "link", state: "connecting", code: 1006 }).state.link.refused).toBe(origin);
    expect(run(refused, { kind: "origin" }).state.link).toEqual({ status: "connecting", away: true });
    expect(run(refused, welcome()).state.link).toEqual({ status: "connected", away: false });
    expect(run(online(), { kind: "origin", refused: origin }).state.link).toEqual({
      status: "connected",
      away: false,
    });
  });

  it("a close for a session ended elsewhere (4020) goes back to the login", () => {
    const r = run(loggedIn(), { kind: "link", state: "disconnected", code: 4020 });
    expect(pick(r.state, { stage: 1, session: 1 })).toEqual({ stage: "login", session: undefined });
    expect(r.state.notice).toBe("登录已失效，请重新登录");
    // That session is not resumed, but a fresh socket lets the person log in again.
    expect(r.effects).toEqual([{ kind: "reconnect" }]);
    expect(hello(r.state, "0.1.0")).not.toHaveProperty("resume");
  });

  it("a dropped socket releases a form that was waiting", () => {
    const s = run(online(), user({ type: "login", account: "a", password: "p" }), {
      kind: "link",
      state: "connecting",
      code: 1006,
    }).state;
    expect(s.login.pending).toBe(false);
  });

  it("reconnecting in the company step asks for the list again", () => {
    const s = run(loggedIn(), companies(2), { kind: "link", state: "connecting", code: 1006 }).state;
    expect(sent(run(s, welcome()).effects)).toEqual([{ type: "company.list" }]);
  });

  it("keeps the step when the hub confirms a resumed session", () => {
    const inside = inCompany("authorization");
    const r = run(inside, welcome(), session());
    expect(r.state.stage).toBe("workspace");
    expect(r.effects).toEqual([]);
  });
});

describe("what outlives the worker", () => {
  it("keeps the session token, the ticket and the step, and nothing typed", () => {
    const p = persisted(qrMode());
    expect(p).toEqual({
      stage: "login",
      mode: "qr",
      ticket: {
        id: TICKET,
        secret: SECRET,
        url: `http://127.0.0.1:8080/app/qr/${TICKET}`,
        expiresAt: "2025-03-01T08:02:00Z",
      },
    });
    expect(
      JSON.stringify(
        persisted(run(online(), user({ type: "login", account: "a", password: "hunter2" })).state),
      ),
    ).not.toContain("hunter2");
  });

  it("resumes a QR login with the ticket's id and secret in hello", () => {
    const s = restore(persisted(qrMode()));
    expect(inProgress(s)).toBe(true);
    expect(hello(s, "0.1.0")).toEqual({
      type: "hello",
      v: 1,
      client: { label: "扣缴客户端", version: "0.1.0" },
      resume: { ticket: { id: TICKET, secret: SECRET } },
    });
  });

  it("resumes a session in the workspace with its token", () => {
    const inside = inCompany("declaration_password");
    const s = restore(JSON.parse(JSON.stringify(persisted(inside))));
    expect(s).toMatchObject({ stage: "workspace", entered: { name: "单位" } });
    expect(hello(s, "0.1.0").resume).toEqual({ session: TOKEN });
  });

  it.each(["expired", "cancelled"] as const)(
    "lets an %s ticket go: nothing to resume, no keepalive",
    (state) => {
      const s = run(qrMode(), qrState(state)).state;
      expect(persisted(s).ticket).toBeUndefined();
      expect(inProgress(s)).toBe(false);
      expect(hello(s, "0.1.0")).not.toHaveProperty("resume");
    },
  );

  it("says hello with no resume when nothing is under way", () => {
    expect(hello(restore(null), "0.1.0")).not.toHaveProperty("resume");
    expect(inProgress(restore(null))).toBe(false);
  });

  it("never hands the popup a token, secret or captcha id", () => {
    const s = run(
      loggedIn(),
      err("DECLARATION_PASSWORD_WRONG", { captchaRequired: true }),
      captchaImage("declaration"),
    ).state;
    const text = JSON.stringify(toView(s, "http://hub"));
    for (const secret of [TOKEN, CAPTCHA]) expect(text).not.toContain(secret);
  });
});

describe("记住账号 (opt-in, never the password)", () => {
  const login = (remember?: boolean) =>
    user({ type: "login", account: "wangfang", password: "Demo1234", ...(remember ? { remember } : {}) });

  it("remembers the account of a password login that worked, when ticked", () => {
    const s = run(online(), login(true), session()).state;
    expect(s.remembered).toBe("wangfang");
    expect(toView(s, "").rememberedAccount).toBe("wangfang");
    expect(JSON.stringify(s)).not.toContain("Demo1234");
  });

  it("remembers nothing for a login that was refused", () => {
    expect(run(online(), login(true), err("ACCOUNT_OR_PASSWORD_WRONG")).state.remembered).toBeUndefined();
  });

  it("forgets it when a later login leaves 记住账号 unticked; a QR login leaves it as it was", () => {
    const kept = run(online(), login(true), session()).state;
    const out = run(kept, user({ type: "logout" })).state;
    expect(out.remembered).toBe("wangfang");
    expect(run(out, session(T("other"), "qr")).state.remembered).toBe("wangfang");
    expect(run(out, login(false), session(T("other"))).state.remembered).toBeUndefined();
  });

  it("starts a worker with what chrome.storage.local kept, apart from the session store", () => {
    const s = restore(null, "wangfang");
    expect(toView(s, "").rememberedAccount).toBe("wangfang");
    expect(persisted(run(online(), login(true), session()).state)).not.toHaveProperty("remembered");
  });
});

describe("the 30 idle minutes", () => {
  // The hub's clock runs 5 s ahead (welcome); the session was made at NOW on the hub's clock.
  const MIN = 60_000;
  const inCompany = () => run(loggedIn(), companies(1)).state;
  const at = (s: FlowState, event: FlowEvent, minutes: number) => step(s, event, NOW + minutes * MIN);

  it("moves the idle deadline with a step the hub counts as activity, as the hub records it", () => {
    const s = at(inCompany(), user({ type: "company.list" }), 0).state;
    // 5 s after the hub's last record: the hub does not record it again (it does so at most every 30 s).
    expect(s.session?.idleExpiresAt).toBe("2025-03-01T08:30:00Z");
    const later = at(inCompany(), user({ type: "declaration", taxId: "X", declarationPassword: "p" }), 10);
    expect(later.state.session?.idleExpiresAt).toBe("2025-03-01T08:40:05.000Z");
  });

  it("继续使用 asks for the company list, a step the hub counts as activity, and stays where it was", () => {
    const inside = run(
      inCompany(),
      hub({ type: "company.entered", taxId: "X", name: "单位", via: "declaration_password" }),
    ).state;
    const r = at(inside, user({ type: "session.keep" }), 29);
    expect(sent(r.effects)).toEqual([{ type: "company.list" }]);
    expect(r.state.session?.idleExpiresAt).toBe("2025-03-01T08:59:05.000Z");
    const listed = at(r.state, companies(1), 29);
    expect(listed.state.stage).toBe("workspace");
  });

  it("never moves it past the 8-hour end", () => {
    const r = at(inCompany(), user({ type: "session.keep" }), 7 * 60 + 50);
    expect(r.state.session?.idleExpiresAt).toBe("2025-03-01T16:00:00.000Z");
  });

  it("has nothing to keep at the login or while offline", () => {
    expect(sent(at(online(), user({ type: "session.keep" }), 1).effects)).toEqual([]);
    const away = run(inCompany(), { kind: "link", state: "connecting", code: 1006 }).state;
    expect(sent(at(away, user({ type: "session.keep" }), 1).effects)).toEqual([]);
  });

  it("takes the deadline the hub sends again on a resume", () => {
    const resumed = session();
    if (resumed.kind !== "hub" || resumed.msg.type !== "session") throw new Error("not a session");
    const s = run(inCompany(), hub({ ...resumed.msg, idleExpiresAt: "2025-03-01T08:45:00Z" })).state;
    expect(toView(s, "").session?.idleExpiresAt).toBe("2025-03-01T08:45:00Z");
  });
});
