import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { freePort, type HubProcess, spawnHub } from "../../support/hub-nodes";
import { runTool } from "../hall/run";

// `npm run events` as a newcomer meets it: with no hub it says it cannot reach one and exits non-zero
// (it never connected, so there is nothing "lost" to retry); it finds a running hub through the
// hub.json in DATA_DIR, as the hall CLI and the demo do.

const events = (args: string[], env: Record<string, string> = {}) =>
  runTool("server/events/cli.ts", args, env);

describe("npm run events with no hub at its address", () => {
  let url = "";
  beforeAll(async () => {
    url = `http://127.0.0.1:${await freePort()}`;
  });

  it("says it cannot reach the hub and exits 1, with --no-follow", async () => {
    const r = await events(["--url", url, "--no-follow"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`events: cannot reach the hub at ${url} (ECONNREFUSED): is it running?`);
  });

  it("says the same and exits 1 when following, instead of retrying a connection it never had", async () => {
    const r = await events([], { EVENTS_URL: url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the hub at ${url}`);
    expect(r.stderr).not.toContain("lost");
  });
});

describe("npm run events while a hub holds DATA_DIR", () => {
  let dir = "";
  let hub: HubProcess;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "shiming-events-hub-"));
    hub = await spawnHub({ DATA_DIR: dir, NODE_ID: "watched-node" });
  });
  afterAll(async () => {
    await hub?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it("finds the hub through DATA_DIR/hub.json (no --url) and prints its history", async () => {
    // A socket opened and closed gives the hub's history a line to print.
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/ws`, { origin: hub.url });
    ws.on("error", () => {});
    await new Promise((done) => {
      ws.on("close", done);
      ws.on("open", () => ws.close());
    });
    const r = await events(["--no-follow", "--last", "100"], { DATA_DIR: dir });
    expect(r.stderr).toBe(`events: watching the hub ${hub.url} (found in ${join(dir, "hub.json")})\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/watched-node\s+ws\./);
  });

  it("stops finding it once the hub stops (and then tries the default address)", async () => {
    await hub.kill();
    const r = await events(["--no-follow"], { DATA_DIR: dir });
    // Whatever answers at 127.0.0.1:8080 on this machine, it is not the stopped hub.
    expect(r.stderr).not.toContain("found in");
    expect(r.stderr + r.stdout).not.toContain(hub.url);
  });
});
