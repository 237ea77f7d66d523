import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HALL_CODE_TTL_MS } from "../../../shared/rules";
import { li, zhang } from "../../support/accounts-world";
import { freePort, type HubProcess, spawnHub } from "../../support/hub-nodes";
import { suiteDir } from "../../support/temp-dir";
import { hall } from "./run";

// A newcomer runs `npm run hall` in a terminal without DATA_DIR while `npm start` runs elsewhere on
// another store: the CLI finds that hub at its address (HOST:PORT) and hands it the command through
// the hub.json in the hub's own DATA_DIR, or stops and says which store it cannot reach; it never
// fills ./data unseen. Each run starts in a folder of its own, so ./data there shows what it wrote.

/** `issue-code` for this person from `cwd`, with `env` (never DATA_DIR). */
const issue = (p: typeof zhang, more: string[], env: Record<string, string>, cwd: string) =>
  hall(
    ["issue-code", "--name", p.name, "--id-type", p.idType, "--id-number", p.idNumber, ...more],
    env,
    "",
    cwd,
  );

/** The text answer's expiry, read as the Beijing wall-clock time it says it is. */
function validUntil(stdout: string): number {
  const m = /有效期至 \/ valid until: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) 北京时间 \/ Beijing time/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  return Date.parse(`${(m?.[1] ?? "").replace(" ", "T")}+08:00`);
}

describe("the hall CLI without DATA_DIR while a hub runs on another folder", () => {
  let hubDir = "";
  let cwd = "";
  let hub: HubProcess;
  let env: Record<string, string>;
  suiteDir("shiming-hall-hubdir-", (d) => {
    hubDir = d;
  });
  suiteDir("shiming-hall-cwd-", (d) => {
    cwd = realpathSync(d);
  });
  beforeAll(async () => {
    const port = await freePort();
    hub = await spawnHub({ DATA_DIR: hubDir, PORT: String(port), NODE_ID: "counter-node" });
    env = { PORT: String(port) };
  });
  afterAll(() => hub?.kill());

  it("hands the command to that hub, says which store it went to, and prints Beijing time", async () => {
    const before = Date.now();
    const r = await issue(zhang, [], env, cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `存储 / store: embedded (PGlite) ${hubDir}, through the running hub counter-node at ${hub.url}`,
    );
    expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/); // no UTC ISO time for the clerk
    const until = validUntil(r.stdout);
    // Seconds are cut off: within a second of 7 days from the moment it was issued.
    expect(until).toBeGreaterThanOrEqual(before + HALL_CODE_TTL_MS - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + HALL_CODE_TTL_MS);
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });

  it("keeps --json for machines and names the store beside it on stderr", async () => {
    const r = await issue(li, ["--json"], env, cwd);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).expiresAt).toMatch(/Z$/);
    expect(r.stderr).toBe(
      `存储 / store: embedded (PGlite) ${hubDir}, through the running hub counter-node at ${hub.url} (DATA_DIR not set: the hub found at that address)\n`,
    );
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });
});

describe("the hall CLI without DATA_DIR while the hub at its address keeps its store in memory", () => {
  let cwd = "";
  let hub: HubProcess;
  let port = 0;
  suiteDir("shiming-hall-cwd-", (d) => {
    cwd = realpathSync(d);
  });
  beforeAll(async () => {
    port = await freePort();
    hub = await spawnHub({ DATA_DIR: ":memory:", PORT: String(port), NODE_ID: "memory-node" });
  });
  afterAll(() => hub?.kill());

  it("stops with exit code 3, naming the hub, its store and what to set, and writes nothing", async () => {
    const r = await issue(zhang, [], { PORT: String(port) }, cwd);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`the hub at http://127.0.0.1:${port} (memory-node) keeps its store in memory`);
    expect(r.stderr).toContain(`DATA_DIR=${join(cwd, "data")}`);
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });
});

describe("the hall CLI without DATA_DIR and no hub at its address", () => {
  let cwd = "";
  suiteDir("shiming-hall-cwd-", (d) => {
    cwd = realpathSync(d);
  });

  it("opens ./data itself and says so: the folder, that it is the default, and that no hub answered", async () => {
    const port = await freePort();
    const r = await issue(zhang, [], { PORT: String(port) }, cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `存储 / store: embedded (PGlite) ${join(cwd, "data")} (DATA_DIR not set: the default folder; no hub at http://127.0.0.1:${port})`,
    );
    expect(existsSync(join(cwd, "data", "pglite"))).toBe(true);
  });
});
