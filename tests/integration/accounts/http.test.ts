import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config";
import { issueHallCode } from "../../../server/hall/service";
import { type Hub, startHub } from "../../../server/hub";
import { ApiError, IdentityVerified, Registered, SmsSent } from "../../../shared/api/accounts";
import { AGREEMENT, makeWorld, TestClock, zhang } from "../../support/accounts-world";
import { emptyTables, openTestStore, STORES, type TestStore } from "../../support/stores";

// A real listening hub, a whole registration over fetch; the answers parse with the shared schemas.
describe.each(STORES)("a hub serving the accounts API on %s", (kind) => {
  let store: TestStore;
  let hub: Hub;
  beforeAll(async () => {
    store = await openTestStore(kind);
    hub = await startHub(loadConfig({ PORT: "0", NODE_ID: `http-${kind}` }), { db: store.db });
  });
  afterAll(async () => {
    await hub.close();
    await store.cleanup();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${hub.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  it("registers a person from hall code to account, and still answers /healthz", async () => {
    const hall = { db: store.db, clock: new TestClock(new Date()), nodeId: "hall", operator: "t" };
    const { code } = await issueHallCode(hall, zhang);
    const agreement = await (await fetch(`${hub.url}/api/register/agreement`)).json();
    expect(agreement.version).toBe(AGREEMENT);
    const v = await post("/api/register/hall-code", {
      agreementVersion: agreement.version,
      channel: "portal",
      hallCode: code,
      ...zhang,
    });
    const verified = IdentityVerified.parse(v.body);
    const s = await post("/api/register/sms", {
      registrationToken: verified.registrationToken,
      phone: "13812345678",
    });
    SmsSent.parse(s.body);
    const smsCode = (await hub.events.recent(50)).filter((e) => e.kind === "sms.sent").at(-1)?.data.code;
    const done = await post("/api/register/complete", {
      registrationToken: verified.registrationToken,
      loginName: "zhangsan",
      password: "Passw0rd!",
      phone: "13812345678",
      smsCode,
      householdRegion: "110101",
    });
    expect(done.status).toBe(201);
    expect(Registered.parse(done.body).loginName).toBe("zhangsan");
    const again = await post("/api/register/hall-code", {
      agreementVersion: AGREEMENT,
      channel: "portal",
      hallCode: code,
      ...zhang,
    });
    expect(ApiError.parse(again.body).code).toBe("HALL_CODE_USED");
    expect(await (await fetch(`${hub.url}/healthz`)).json()).toEqual({ ok: true, node: `http-${kind}` });
  });
});

describe("rate limits on the accounts API", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore("pglite");
    await emptyTables(store.db);
  });
  afterAll(() => store.cleanup());

  it("answers RATE_LIMITED past the limit for one address, while another address goes on", async () => {
    const w = makeWorld(store.db, { limits: { identityPerIpPerMinute: 3 } });
    const attempt = () => w.verify(zhang, "AAAAAA");
    for (let i = 0; i < 3; i++) expect((await attempt()).status).not.toBe(429);
    const limited = await attempt();
    expect(limited).toMatchObject({ status: 429, body: { code: "RATE_LIMITED", retryable: true } });
    expect(limited.body.retryAfterS).toBeGreaterThan(0);
    w.ip = "198.51.100.2";
    expect((await attempt()).status).not.toBe(429);
  });
});
