import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Guide } from "../../../server/demo/guide";
import { findPersonByAccount } from "../../../server/people/store";
import { openStore } from "../../../server/store";
import { HALL_CODE_TTL_MS } from "../../../shared/rules";
import { freePort, type HubProcess, spawnHub } from "../../support/hub-nodes";
import { freshPgDatabase } from "../../support/services";
import { suiteDir } from "../../support/temp-dir";
import { demo } from "../hall/run";

// `npm run demo` typed in a second terminal without DATA_DIR while `npm start` runs on another store:
// it fills the running hub's store (found at HOST:PORT, reached through the hub.json in the hub's own
// folder), or stops and says which store the hub is on; it never fills ./data unseen. Each run starts
// in a folder of its own, so ./data there shows what it wrote.

describe("npm run demo without DATA_DIR while the hub runs on another folder", () => {
  let hubDir = "";
  let cwd = "";
  let hub: HubProcess;
  let env: Record<string, string>;
  suiteDir("shiming-demo-hubdir-", (d) => {
    hubDir = d;
  });
  suiteDir("shiming-demo-cwd-", (d) => {
    cwd = realpathSync(d);
  });
  beforeAll(async () => {
    const port = await freePort();
    hub = await spawnHub({ DATA_DIR: hubDir, PORT: String(port), NODE_ID: "demo-node" });
    env = { PORT: String(port) };
  });
  afterAll(() => hub?.kill());

  it("fills the hub's store, says so, and gives the hall code's expiry in Beijing time", async () => {
    const before = Date.now();
    const r = await demo([], env, cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `存储 / store: embedded (PGlite) ${hubDir}, through the running hub demo-node at ${hub.url}`,
    );
    expect(r.stdout).toMatch(
      /注册码 \/ hall code: [A-Z0-9]{6} {3}\(有效期至 \/ valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d 北京时间 \/ Beijing time\)/,
    );
    expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(existsSync(join(cwd, "data"))).toBe(false);

    // Read as Beijing wall-clock time it is 7 days from the run (to the second).
    const shown = /valid until (\S+ \S+) 北京时间/.exec(r.stdout)?.[1] ?? "";
    const until = Date.parse(`${shown.replace(" ", "T")}+08:00`);
    expect(until).toBeGreaterThanOrEqual(before + HALL_CODE_TTL_MS - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + HALL_CODE_TTL_MS);

    const json = JSON.parse((await demo(["--json"], env, cwd)).stdout) as Guide;
    expect(json.hub).toEqual({ url: hub.url, running: true });
    expect(json.hallCode.expiresAt).toMatch(/Z$/); // machines keep the instant
    await hub.kill();
    const db = await openStore({ dataDir: hubDir, databaseUrl: undefined });
    try {
      expect((await findPersonByAccount(db, "wangfang")).found).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe("npm run demo without DATA_DIR while the hub at its address runs on PostgreSQL", () => {
  let cwd = "";
  let hub: HubProcess;
  let port = 0;
  let pg: { url: string; drop(): Promise<void> };
  suiteDir("shiming-demo-cwd-", (d) => {
    cwd = realpathSync(d);
  });
  beforeAll(async () => {
    pg = await freshPgDatabase();
    port = await freePort();
    const url = new URL(pg.url);
    url.password = "pw-not-to-print"; // trust auth ignores it
    hub = await spawnHub({ DATABASE_URL: url.toString(), PORT: String(port), NODE_ID: "pg-node" });
  });
  afterAll(async () => {
    await hub?.kill();
    await pg?.drop();
  });

  it("stops with exit code 3, naming the hub and its database (never its password), and writes nothing", async () => {
    const r = await demo([], { PORT: String(port) }, cwd);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    const db = new URL(pg.url);
    expect(r.stderr).toContain(
      `the hub at http://127.0.0.1:${port} (pg-node) runs on PostgreSQL postgres://${db.host}${db.pathname}: set DATABASE_URL`,
    );
    expect(r.stderr).not.toContain("pw-not-to-print");
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });
});
