import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../../server/store";
import { CLOSE } from "../../../shared/protocol";
import { FakeClient } from "../../support/fake-client";
import {
  eventually,
  freePort,
  type HubProcess,
  LIFTED_LOGIN_LIMITS,
  spawnHub,
} from "../../support/hub-nodes";
import { handler, residentId, type TestPerson } from "../../support/people";
import { passwordLogin, seedPerson } from "../../support/world";

// SIGTERM to a real hub process (`node --import tsx server/main.ts`, as `npm start` runs it) with
// logins in flight on both fronts: every one of them is answered, sockets are told to reconnect now
// (1012), the process exits 0 and leaves neither hub.json nor store.lock behind.

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const dirs: string[] = [];
const hubs: HubProcess[] = [];
afterAll(async () => {
  for (const h of hubs) await h.kill("SIGKILL");
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** 20 people: concurrent tries on one account would meet its lock's reservation, not what this tests. */
const PEOPLE: TestPerson[] = Array.from({ length: 20 }, (_, i) => ({
  ...handler,
  loginName: `drainer${i}`,
  phone: `1380013${String(i).padStart(4, "0")}`,
  idNumber: residentId(`1101011990010${String(i).padStart(2, "0")}1`),
}));

async function dataDirWithPeople(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "shiming-drain-"));
  dirs.push(dir);
  const db = await openStore({ dataDir: dir, databaseUrl: undefined });
  for (const p of PEOPLE) await seedPerson(db, p);
  await db.close();
  return dir;
}

/** POST /api/app/login on a connection of its own; resolves once the request is fully sent, with its answer to come. */
function appLogin(
  url: string,
  person: TestPerson,
): Promise<{ sent: Promise<void>; answer: Promise<{ status: number; body: string }> }> {
  return new Promise((resolveOuter) => {
    const body = JSON.stringify({ account: person.phone, password: person.password });
    let markSent: () => void = () => {};
    const sent = new Promise<void>((r) => {
      markSent = r;
    });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}/api/app/login`, {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.on("finish", () => markSent());
      req.end(body);
    });
    resolveOuter({ sent, answer });
  });
}

describe("draining on SIGTERM", () => {
  it("answers 20 logins in flight (10 over HTTP, 10 on sockets), exits 0, leaves no files", async () => {
    const dataDir = await dataDirWithPeople();
    const hub = await spawnHub({
      DATA_DIR: dataDir,
      NODE_ID: "drain-test",
      // A busy CI box hashes slowly: the drain bound is not what this test measures.
      HUB_LIMITS: JSON.stringify({ ...LIFTED_LOGIN_LIMITS, appLoginsPerIpPerMinute: 1000, drainMs: 60_000 }),
    });
    hubs.push(hub);
    expect(existsSync(join(dataDir, "hub.json"))).toBe(true);
    expect(existsSync(join(dataDir, "store.lock"))).toBe(true);

    // Sockets welcomed first (accepted by the hub), then their logins sent together with the HTTP ones.
    const clients = await Promise.all(Array.from({ length: 10 }, () => FakeClient.connect(hub.url)));
    const socketLogins = clients.map((c, i) =>
      passwordLogin(c, PEOPLE[i]?.loginName ?? "", PEOPLE[i]?.password ?? ""),
    );
    const http = await Promise.all(PEOPLE.slice(10).map((p) => appLogin(hub.url, p)));
    await Promise.all(http.map((h) => h.sent));
    // A request on a newer connection answered: the hub has accepted and read every earlier one.
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);

    const signalledAt = Date.now();
    hub.child.kill("SIGTERM");

    const answers = await Promise.all(http.map((h) => h.answer));
    for (const a of answers) {
      expect(a.status, a.body).toBe(200);
      expect(JSON.parse(a.body).token).toEqual(expect.any(String));
    }
    const replies = await Promise.all(socketLogins);
    expect(replies.map((r) => r.type)).toEqual(Array(10).fill("session"));
    for (const c of clients) expect((await c.closed).code).toBe(CLOSE.SERVICE_RESTART.code);

    expect(await hub.exited).toBe(0);
    const stoppedMs = Date.now() - signalledAt;
    expect(hub.output()).toMatch(/hub drained and stopped in \d+ ms/);
    expect(existsSync(join(dataDir, "hub.json"))).toBe(false);
    expect(existsSync(join(dataDir, "store.lock"))).toBe(false);
    await expect(fetch(`${hub.url}/healthz`)).rejects.toThrow();
    console.log(`SIGTERM with 20 logins in flight: exit 0 after ${stoppedMs} ms`);
  }, 180_000);

  it("refuses new connections at once, while a request in flight still finishes", async () => {
    const dataDir = await dataDirWithPeople();
    const hub = await spawnHub({
      DATA_DIR: dataDir,
      NODE_ID: "drain-refuse",
      HUB_LIMITS: JSON.stringify({ drainMs: 60_000 }),
    });
    hubs.push(hub);
    // A login whose body is still on its way: in flight for as long as this test holds the rest back.
    const person = PEOPLE[0] as TestPerson;
    const body = JSON.stringify({ account: person.phone, password: person.password });
    const req = request(`${hub.url}/api/app/login`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    let answered = false;
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => {
          answered = true;
          resolve({ status: res.statusCode ?? 0, body: text });
        });
      });
      req.on("error", reject);
    });
    req.write(body.slice(0, 10));
    // A request on a newer connection answered: the hub has read the held request's headers.
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);

    hub.child.kill("SIGTERM");
    // New connections are refused (a balancer moves on) while the held request is still open.
    await eventually(async () => {
      try {
        await fetch(`${hub.url}/readyz`);
        return false;
      } catch {
        return true;
      }
    }, 60_000);
    expect(answered).toBe(false);
    req.end(body.slice(10));
    const a = await answer;
    expect(a.status, a.body).toBe(200);
    expect(await hub.exited).toBe(0);
  }, 180_000);
});

describe("a signal during start", () => {
  it("stops the hub while it waits for Redis, exit 0, no store.lock or hub.json left", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "shiming-drain-start-"));
    dirs.push(dataDir);
    const nobody = await freePort(); // no Redis there
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        DATA_DIR: dataDir,
        REDIS_URL: `redis://127.0.0.1:${nobody}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no wait for Redis seen:\n${out}`)), 120_000);
      const look = (d: Buffer) => {
        out += d;
        if (out.includes("redis not reachable yet")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", look);
      child.stderr.on("data", look);
    });
    expect(existsSync(join(dataDir, "store.lock"))).toBe(true); // the store was open
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("hub stopped during start");
    expect(existsSync(join(dataDir, "store.lock"))).toBe(false);
    expect(existsSync(join(dataDir, "hub.json"))).toBe(false);
  }, 180_000);
});
