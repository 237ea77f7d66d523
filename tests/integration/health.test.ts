import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { type Hub, startHub } from "../../server/hub";

describe("hub health", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ PORT: "0", NODE_ID: "health-test" }));
  });
  afterAll(() => hub.close());

  it("answers GET /healthz with its node id", async () => {
    const res = await fetch(`${hub.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, node: "health-test" });
  });
});
