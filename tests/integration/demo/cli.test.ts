import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEWCOMER } from "../../../server/demo/cast";
import type { Guide } from "../../../server/demo/guide";
import { verifyPassword } from "../../../server/people/passwords";
import { findPersonByAccount } from "../../../server/people/store";
import { type Db, openStore } from "../../../server/store";
import { CURRENT_AGREEMENT } from "../../../shared/api/accounts";
import { makeWorld } from "../../support/accounts-world";
import { freePort, type HubProcess, spawnHub } from "../../support/hub-nodes";
import { freshPgDatabase } from "../../support/services";
import { demo } from "../hall/run";

// `npm run demo` as a newcomer runs it: on the embedded store with no hub, through a running hub,
// on PostgreSQL — and never in production.

async function everyAccountLogsIn(db: Db, guide: Guide): Promise<void> {
  for (const a of guide.accounts) {
    for (const account of [a.loginName, a.phone, ...(a.logsInByIdNumber ? [a.idNumber] : [])]) {
      const found = await findPersonByAccount(db, account);
      expect(found.found, account).toBe(true);
      expect(found.found && (await verifyPassword(found.person, a.password))).toBe(true);
    }
  }
}

describe("npm run demo on the embedded store, no hub running", () => {
  let dir: string;
  let publicUrl: string; // a port nobody listens on, whatever else runs on this machine
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "shiming-demo-"));
    publicUrl = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("prints the accounts, passwords, declaration passwords, hall code and URLs", async () => {
    const r = await demo([], { DATA_DIR: dir, PUBLIC_URL: publicUrl });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const text of [
      "wangfang",
      "liqiang",
      "johnsmith",
      "Demo1234",
      "DeclA1234",
      "DeclC1234",
      NEWCOMER.idNumber,
      `${publicUrl}/web/register`,
      `${publicUrl}/dev/events`,
      "(not running: npm start)",
      ".output/chrome-mv3",
    ]) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stdout).toMatch(/注册码 \/ hall code: [A-Z0-9]{6}/);
  });

  it("runs a second time, and what it prints then logs in and registers", async () => {
    const r = await demo(["--json"], { DATA_DIR: dir });
    expect(r.code).toBe(0);
    const guide = JSON.parse(r.stdout) as Guide;
    const db = await openStore({ dataDir: dir, databaseUrl: undefined });
    try {
      await everyAccountLogsIn(db, guide);
      const w = makeWorld(db);
      w.clock.t = new Date();
      const verified = await w.verify(
        { name: guide.hallCode.name, idType: guide.hallCode.idType, idNumber: guide.hallCode.idNumber },
        guide.hallCode.code,
      );
      expect(verified.status).toBe(200);
      const done = await w.finish(verified.body.registrationToken, {
        loginName: "sunli",
        phone: "13700003333",
      });
      expect(done.status).toBe(201);
    } finally {
      await db.close();
    }
  });
});

describe("npm run demo while the hub runs", () => {
  let dir: string;
  let hub: HubProcess;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "shiming-demo-hub-"));
    hub = await spawnHub({ DATA_DIR: dir, NODE_ID: "demo-node" });
  });
  afterAll(async () => {
    await hub?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it("fills the hub's store through the hub, twice, and its hall code registers on that hub", async () => {
    expect((await demo([], { DATA_DIR: dir })).code).toBe(0);
    const r = await demo(["--json"], { DATA_DIR: dir });
    expect(r.code).toBe(0);
    const guide = JSON.parse(r.stdout) as Guide;
    expect(guide.store).toContain("through the running hub demo-node");
    expect(guide.hub).toEqual({ url: hub.url, running: true });
    const res = await fetch(`${hub.url}/api/register/hall-code`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        agreementVersion: CURRENT_AGREEMENT.version,
        channel: "portal",
        hallCode: guide.hallCode.code,
        name: guide.hallCode.name,
        idType: guide.hallCode.idType,
        idNumber: guide.hallCode.idNumber,
      }),
    });
    expect(res.status).toBe(200);
    await hub.kill();
    const db = await openStore({ dataDir: dir, databaseUrl: undefined });
    try {
      await everyAccountLogsIn(db, guide);
    } finally {
      await db.close();
    }
  });
});

describe("npm run demo on PostgreSQL", () => {
  let pg: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    pg = await freshPgDatabase();
  });
  afterAll(() => pg.drop());

  it("fills the database named by DATABASE_URL, twice, without printing its credentials", async () => {
    const url = new URL(pg.url);
    url.password = "pw-not-to-print"; // trust auth ignores it
    expect((await demo([], { DATABASE_URL: url.toString() })).code).toBe(0);
    const r = await demo(["--json"], { DATABASE_URL: url.toString() });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("pw-not-to-print");
    const guide = JSON.parse(r.stdout) as Guide;
    expect(guide.store).toMatch(/^PostgreSQL 127\.0\.0\.1:5432\/shiming_test_/);
    const db = await openStore({ dataDir: "unused", databaseUrl: pg.url });
    try {
      await everyAccountLogsIn(db, guide);
    } finally {
      await db.close();
    }
  });
});

describe("npm run demo in production", () => {
  it("refuses, says why, and touches no store", async () => {
    const dir = join(tmpdir(), `shiming-demo-prod-${process.pid}`);
    const r = await demo([], { DATA_DIR: dir, NODE_ENV: "production" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refuses to run in production (NODE_ENV=production)");
    expect(r.stdout).toBe("");
    expect(existsSync(dir)).toBe(false);
  });

  it("is refused by a hub running in production mode", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shiming-demo-prodhub-"));
    const hub = await spawnHub({ DATA_DIR: dir, NODE_ENV: "production" });
    try {
      const r = await demo([], { DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("the running hub is in production mode");
    } finally {
      await hub.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
