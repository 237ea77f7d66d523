import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { type Hub, startHub } from "../../server/hub";

describe("hub health", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ PORT: "0", NODE_ID: "health-test", DATA_DIR: ":memory:" }));
  });
  afterAll(() => hub.close());

  it("answers GET /healthz with its node id", async () => {
    const res = await fetch(`${hub.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, node: "health-test" });
  });
});

describe("hub pages", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ PORT: "0", DATA_DIR: ":memory:" }));
  });
  afterAll(() => hub.close());

  it.each([
    ["/app/qr/abc", "个人所得税"],
    ["/web/register", "自然人办税服务平台"],
  ])("serves the page behind %s", async (path, title) => {
    const res = await fetch(`${hub.url}${path}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<title>${title}</title>`);
    const script = /src="(\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${hub.url}${script}`)).status).toBe(200);
  });
});
