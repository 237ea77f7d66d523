import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { CLIENT_ORIGIN_PATH, OriginCheck } from "../../../shared/api/client-origin";
import { EXTENSION_ORIGIN } from "../../../shared/extension-id";
import { FakeClient } from "../../support/fake-client";
import { testHub } from "../../support/hub-nodes";

// GET /api/client/origin answers by the same list the socket's upgrade checks, so the extension can
// tell a refused origin (which the browser reports as a lost network) from a network that is down.

const FIREFOX = "moz-extension://0b7d3c2e-5a61-4c7e-9f3a-2d1e8b6a4c10";
let hub: Hub;

beforeAll(async () => {
  hub = await testHub({ ALLOWED_ORIGINS: FIREFOX });
});
afterAll(() => hub?.close());

async function ask(origin?: string): Promise<{ status: number; cors: string | null; body: OriginCheck }> {
  const res = await fetch(`${hub.url}${CLIENT_ORIGIN_PATH}`, { headers: origin ? { origin } : {} });
  return {
    status: res.status,
    cors: res.headers.get("access-control-allow-origin"),
    body: OriginCheck.parse(await res.json()),
  };
}

describe("GET /api/client/origin", () => {
  it.each([
    ["the Chrome extension", EXTENSION_ORIGIN],
    ["an origin in ALLOWED_ORIGINS", FIREFOX],
    ["the hub's own pages", "HUB"],
  ])("says %s is allowed", async (_name, origin) => {
    const o = origin === "HUB" ? new URL(hub.publicUrl).origin : origin;
    const r = await ask(o);
    expect(r).toEqual({ status: 200, cors: "*", body: { allowed: true, origin: o } });
  });

  it("says another install's origin is refused, naming it, and the socket indeed refuses it", async () => {
    const other = "moz-extension://6f1c0d9a-1111-4222-8333-944455556666";
    expect((await ask(other)).body).toEqual({ allowed: false, origin: other });
    await expect(FakeClient.connect(hub.url, { origin: other })).rejects.toMatchObject({ status: 403 });
    await (await FakeClient.connect(hub.url, { origin: FIREFOX })).close();
  });

  it("answers a request with no Origin as not allowed", async () => {
    expect((await ask()).body).toEqual({ allowed: false, origin: null });
  });
});
