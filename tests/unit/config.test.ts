import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";

describe("configuration", () => {
  it("uses the documented defaults", () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe("127.0.0.1");
    expect(c.publicUrl).toBe("http://127.0.0.1:8080");
    expect(c.qrTtlS).toBe(120);
    expect(c.caCutoff.toISOString()).toBe("2019-12-31T16:00:00.000Z");
    expect(c.authorizationFrom.toISOString()).toBe("2019-12-31T16:00:00.000Z");
    expect(c.production).toBe(false);
  });

  it("is in production mode only for NODE_ENV=production exactly", () => {
    expect(loadConfig({ NODE_ENV: "production" }).production).toBe(true);
    for (const NODE_ENV of ["development", "test"]) expect(loadConfig({ NODE_ENV }).production).toBe(false);
    for (const NODE_ENV of ["Production", "prod", "production ", "", "dev"]) {
      expect(() => loadConfig({ NODE_ENV }), NODE_ENV).toThrow(/NODE_ENV: must be exactly "production"/);
    }
  });

  it("refuses a malformed cut-off date naming the variable", () => {
    expect(() => loadConfig({ CA_CUTOFF: "1 Jan 2020" })).toThrow(/CA_CUTOFF/);
  });
});
