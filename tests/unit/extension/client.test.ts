import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import type { Persisted } from "../../../extension/core/flow";
import type { ClientView } from "../../../extension/core/view";
import { Client, type FlowStore } from "../../../extension/worker/client";
import type { SocketLike } from "../../../extension/worker/connection";
import { CLOSE, SESSION_END_MESSAGES } from "../../../shared/protocol";
import { DEMO_USERS, FakeHub } from "../../support/fake-hub";

// The worker's client (connection + flow + store) driven like the popup drives it, against the
// fake hub. A "stopped worker" is a client dropped without a goodbye; the next one shares its store.

const USER = DEMO_USERS[0];
if (!USER) throw new Error("demo user missing");
const [FIRST, SECOND] = USER.companies;

let hub: FakeHub;
let clients: Client[] = [];

/** chrome.storage.session as the worker sees it: it outlives the worker, not the browser. */
function memoryStore(): FlowStore & { value: Persisted | null } {
  const store = {
    value: null as Persisted | null,
    load: async () => store.value,
    save: async (v: Persisted | null) => {
      store.value = v;
    },
  };
  return store;
}

async function startClient(store = memoryStore()) {
  const views: ClientView[] = [];
  const client = await Client.start({
    hubUrl: hub.url,
    store,
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    publish: (v) => views.push(v),
    version: "0.1.0-test",
    connection: { backoff: { minMs: 5, maxMs: 50 } },
  });
  clients.push(client);
  const view = () => client.view();
  return { client, store, views, view };
}

/** Like opening the popup: be connected, wait for the welcome. */
async function open(store = memoryStore()) {
  const c = await startClient(store);
  c.client.watch();
  await vi.waitFor(() => expect(c.view().link.status).toBe("connected"));
  return c;
}

beforeEach(async () => {
  hub = await FakeHub.start();
});

afterEach(async () => {
  for (const c of clients) c.stop();
  clients = [];
  await hub.close();
});

describe("password login through the worker", () => {
  it("takes a wrong password, then the captcha, then the right one to the company list", async () => {
    const { client, view } = await open();
    client.act({ type: "login", account: USER.account, password: "wrong" });
    await vi.waitFor(() => expect(view().login.captchaImage).toBeDefined());
    expect(view().login).toMatchObject({ error: "账号或密码错误", attemptsLeft: 4, captchaRequired: true });

    client.act({ type: "login", account: USER.account, password: USER.password, captcha: hub.captchaAnswer });
    await vi.waitFor(() => expect(view().companies).toHaveLength(3));
    expect(view()).toMatchObject({ stage: "company", pane: "list", session: { method: "password" } });
    expect(hub.sent("login.password")[1]?.captcha?.answer).toBe(hub.captchaAnswer);
  });

  it("locks the account at the 5th wrong password and shows the minutes left", async () => {
    const { client, view } = await open();
    for (let i = 0; i < 5; i++) {
      const before = hub.sent("login.password").length;
      client.act({ type: "login", account: USER.account, password: `wrong${i}`, captcha: hub.captchaAnswer });
      await vi.waitFor(() => expect(hub.sent("login.password")).toHaveLength(before + 1));
      await vi.waitFor(() => expect(view().login.pending).toBe(false));
      if (i < 4) await vi.waitFor(() => expect(view().login.captchaImage).toBeDefined());
    }
    expect(view().login).toMatchObject({ code: "ACCOUNT_LOCKED", lockedMinutes: 120 });
    expect(view().login.error).toContain("120分钟");
  });

  it("enters a company with its declaration password, and 切换单位 / 退出 work", async () => {
    const { client, view } = await open();
    client.act({ type: "login", account: USER.account, password: USER.password });
    await vi.waitFor(() => expect(view().companies).toBeDefined());
    client.act({ type: "company.open", taxId: FIRST?.taxId ?? "" });
    client.act({
      type: "declaration",
      taxId: FIRST?.taxId ?? "",
      declarationPassword: FIRST?.declarationPassword ?? "",
    });
    await vi.waitFor(() => expect(view().stage).toBe("workspace"));
    expect(view().entered).toEqual({ taxId: FIRST?.taxId, name: FIRST?.name, via: "declaration_password" });

    client.act({ type: "company.switch" });
    await vi.waitFor(() => expect(view().stage).toBe("company"));
    client.act({ type: "company.open", taxId: SECOND?.taxId ?? "" });
    client.act({ type: "authorization", taxId: SECOND?.taxId ?? "" });
    await vi.waitFor(() => expect(view().entered?.via).toBe("authorization"));

    client.act({ type: "logout" });
    expect(view().stage).toBe("login");
    await vi.waitFor(() => expect(hub.sent("logout")).toHaveLength(1));
  });
});

describe("QR login through the worker", () => {
  it("shows the ticket, follows the phone, and redeems the grant by itself", async () => {
    const { client, view } = await open();
    client.act({ type: "mode", mode: "qr" });
    await vi.waitFor(() => expect(view().qr.url).toContain("/app/qr/"));
    hub.scan("*三");
    await vi.waitFor(() => expect(view().qr).toMatchObject({ state: "scanned", maskedName: "*三" }));
    hub.confirm();
    await vi.waitFor(() => expect(view().stage).toBe("company"));
    expect(view().session?.method).toBe("qr");
    expect(hub.sent("qr.redeem")).toHaveLength(1);
  });

  it("shows a fresh QR when the phone cancels", async () => {
    const { client, view } = await open();
    client.act({ type: "mode", mode: "qr" });
    await vi.waitFor(() => expect(view().qr.url).toBeDefined());
    const first = view().qr.url;
    hub.cancel();
    await vi.waitFor(() => expect(view().qr.url).not.toBe(first));
    expect(view().qr.state).toBe("waiting");
  });

  it("resumes a QR login in a restarted worker and completes it", async () => {
    const a = await open();
    a.client.act({ type: "mode", mode: "qr" });
    await vi.waitFor(() => expect(a.view().qr.url).toBeDefined());
    await a.client.flushed();
    expect(a.store.value?.ticket?.secret).toBeDefined();

    // The browser stops the worker: the socket dies with it. The phone scans and confirms meanwhile.
    a.client.stop();
    hub.scan();
    hub.confirm();

    const b = await startClient(a.store);
    await vi.waitFor(() => expect(b.view().stage).toBe("company"));
    const hello = hub.sent("hello").at(-1);
    expect(hello?.resume?.ticket?.id).toBe(a.store.value?.ticket?.id ?? hub.latestTicket?.id);
    expect(b.view().session?.method).toBe("qr");
  });
});

describe("a lost socket", () => {
  it("shows the reconnect banner, then resumes the session where it was", async () => {
    const { client, view, views } = await open();
    client.act({ type: "login", account: USER.account, password: USER.password });
    await vi.waitFor(() => expect(view().companies).toBeDefined());

    hub.closeConnection();
    await vi.waitFor(() => expect(views.some((v) => v.link.away)).toBe(true));
    await vi.waitFor(() => expect(view().link).toEqual({ status: "connected", away: false }));
    const hello = hub.sent("hello").at(-1);
    expect(hello?.resume?.session).toBeDefined();
    expect(view().stage).toBe("company");
    await vi.waitFor(() => expect(hub.sent("company.list")).toHaveLength(2));
  });

  it("goes back to the login when the hub says the session ended elsewhere", async () => {
    const { client, view } = await open();
    client.act({ type: "login", account: USER.account, password: USER.password });
    await vi.waitFor(() => expect(view().stage).toBe("company"));
    hub.push({ type: "session.ended", reason: "replaced", message: SESSION_END_MESSAGES.replaced });
    hub.closeConnection(CLOSE.SESSION_ENDED.code);
    await vi.waitFor(() => expect(view().stage).toBe("login"));
    expect(view().notice).toBe("您的账号已在其他地方登录，请重新登录");
  });

  it("stays down for an unsupported version until the person asks to reconnect", async () => {
    const { client, view } = await open();
    hub.closeConnection(CLOSE.VERSION_UNSUPPORTED.code);
    await vi.waitFor(() => expect(view().link.fatal).toBe("客户端版本过低，请升级后再试"));
    expect(hub.sent("hello")).toHaveLength(1);
    client.act({ type: "reconnect" });
    await vi.waitFor(() => expect(view().link.status).toBe("connected"));
  });

  it("forgets a stale session the hub no longer knows", async () => {
    const store = memoryStore();
    store.value = {
      stage: "company",
      mode: "password",
      session: {
        token: "A".repeat(22),
        method: "password",
        handler: USER.handler,
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      },
    };
    const { view } = await startClient(store);
    await vi.waitFor(() => expect(view().stage).toBe("login"));
    expect(view().notice).toBe("登录已过期，请重新登录");
    await vi.waitFor(() => expect(store.value?.session).toBeUndefined());
  });
});

describe("an origin the hub refuses", () => {
  it("asks the hub why the socket keeps failing, shows the origin to add, and connects once it is allowed", async () => {
    const origin = "moz-extension://0b7d3c2e-5a61-4c7e-9f3a-2d1e8b6a4c10";
    let allowed = false;
    const asked: string[] = [];
    const client = await Client.start({
      hubUrl: hub.url,
      store: memoryStore(),
      // A refused upgrade reaches the page as a plain failed socket (1006), as a dead port does.
      socket: (url) => new WebSocket(allowed ? url : "ws://127.0.0.1:1/ws") as unknown as SocketLike,
      publish: () => {},
      version: "0.1.0-test",
      checkOrigin: async (url) => {
        asked.push(url);
        return { allowed, origin };
      },
      connection: { backoff: { minMs: 5, maxMs: 50 } },
    });
    clients.push(client);
    client.watch();
    await vi.waitFor(() =>
      expect(client.view().link).toMatchObject({ status: "connecting", refused: origin }),
    );
    expect(asked[0]).toBe(hub.url);

    allowed = true;
    await vi.waitFor(() => expect(client.view().link).toEqual({ status: "connected", away: false }));
  });
});

describe("the hub address", () => {
  it("drops what was under way and connects to the new hub", async () => {
    const other = await FakeHub.start();
    try {
      const { client, view } = await open();
      client.act({ type: "login", account: USER.account, password: USER.password });
      await vi.waitFor(() => expect(view().stage).toBe("company"));
      client.setHubUrl(other.url);
      expect(view().stage).toBe("login");
      await vi.waitFor(() => expect(other.sent("hello")).toHaveLength(1));
      expect(view().hubUrl).toBe(other.url);
    } finally {
      await other.close();
    }
  });
});
