import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { HubLimits } from "../../server/limits";
import { stopChild } from "./child";
import { cpuMs, openFilesLimit, rssKiB } from "./proc";

// Hub nodes for the bench: always real child processes running the real entry point
// (`node --import tsx server/main.ts`), started through `sh -c 'ulimit -n …; exec node …'` so the
// node has as many file descriptors as this machine lets it. `exec` makes the shell become node, so
// the pid we hold is the hub's own (its CPU time and RSS are read from /proc).

export const ROOT = resolve(import.meta.dirname, "../..");
const PROBE = resolve(import.meta.dirname, "hub-probe.ts");

/** Asked for; the hard limit of this machine may be lower, and then that is what the hub gets. */
export const WANTED_OPEN_FILES = 200_000;

/** Where the hubs' CPU profiles of measured stretches go (bench flag `--hub-profile`). */
export const PROFILE_DIR = resolve(ROOT, "bench/results/profiles");

export interface HubMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  gc: boolean;
}

export interface BenchHub {
  url: string;
  nodeId: string;
  pid: number;
  /** The fd limit the hub actually runs with. */
  openFiles: number;
  output(): string;
  /** CPU time (user + system) the hub has used so far, ms. */
  cpuMs(): number;
  rssKiB(): number;
  /** process.memoryUsage() inside the hub, after a full GC. */
  memory(): Promise<HubMemory>;
  /** Starts a V8 CPU profile inside the hub; `stopProfile` writes it to `file`. */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  /** Writes a V8 heap snapshot of the hub to `file` (after the probe's GC of `memory`). */
  heapSnapshot(file: string): Promise<void>;
  /** Asks the hub's probe (bench/support/hub-probe.ts), e.g. `counters`. */
  ask<T>(type: string): Promise<T>;
  stop(): Promise<void>;
}

export interface HubOptions {
  nodeId: string;
  env?: Record<string, string>;
  /** Extra modules preloaded into the hub (bench-only seams, e.g. known captcha answers). */
  preload?: string[];
  /** Another program than the hub, started the same way (the bench's bare relay). */
  entry?: string;
}

/**
 * The bench lifts every per-address, per-connection and per-phone limit (all load comes from one
 * machine, a handful of loopback addresses) and the connection cap; the per-socket message pacing
 * stays as it ships. Read from the schema, so limits added later are lifted too.
 */
export function liftedLimits(o: { rotation?: "shipped" } = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(HubLimits.shape)) {
    if (/Per(Ip|Phone|Connection|Person|Account)|^maxConnections$/.test(key)) out[key] = 1_000_000_000;
  }
  // The load phones scan tickets by id, from a pool that may wait longer than one rotation of the QR;
  // the waiting-session suites keep the shipped rotation (its timers and reads are part of waiting).
  if (o.rotation !== "shipped") out.qrRotateMs = 1_000_000_000;
  return out;
}

/** Set from `--hub-env KEY=VALUE` (repeatable): tried on every bench hub, e.g. UV_THREADPOOL_SIZE=1. */
const extraEnv: Record<string, string> = {};
export function addHubEnv(pairs: string[]): Record<string, string> {
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at < 1) throw new Error(`--hub-env wants KEY=VALUE, got ${pair}`);
    extraEnv[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return extraEnv;
}

export async function startHub(o: HubOptions): Promise<BenchHub> {
  const nodeArgs = ["--expose-gc", "--import", "tsx", "--import", PROBE];
  for (const p of o.preload ?? []) nodeArgs.push("--import", p);
  const script = `ulimit -n ${WANTED_OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`;
  const child = spawn(
    "sh",
    ["-c", script, "sh", process.execPath, ...nodeArgs, o.entry ?? "server/main.ts"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        DATA_DIR: ":memory:",
        NODE_ID: o.nodeId,
        HUB_LIMITS: JSON.stringify(liftedLimits()),
        ...o.env,
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    },
  );
  return attach(child, o.nodeId);
}

async function attach(child: ChildProcess, nodeId: string): Promise<BenchHub> {
  let out = "";
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`hub ${nodeId} did not start:\n${out}`)), 60_000);
    child.stdout?.on("data", () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    exited.then(() => {
      clearTimeout(timer);
      rej(new Error(`hub ${nodeId} exited before listening:\n${out}`));
    });
  });
  const pid = child.pid ?? 0;
  let asks = 0;
  const ask = <T>(type: string, extra: object = {}) => {
    const id = ++asks;
    return new Promise<T>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`hub probe did not answer ${type}`)), 60_000);
      const on = (m: { type?: string; id?: number; error?: string }) => {
        if (m?.id !== id) return;
        clearTimeout(timer);
        child.off("message", on);
        if (m.type === "failed") rej(new Error(`hub probe: ${m.error}`));
        else res(m as T);
      };
      child.on("message", on);
      child.send({ ...extra, type, id });
    });
  };
  return {
    url,
    nodeId,
    pid,
    openFiles: openFilesLimit(pid),
    output: () => out,
    cpuMs: () => cpuMs(pid),
    rssKiB: () => rssKiB(pid),
    memory: () => ask<HubMemory>("memory"),
    ask: <T>(type: string) => ask<T>(type),
    async startProfile() {
      await ask("profile-start");
    },
    async stopProfile(file) {
      mkdirSync(dirname(file), { recursive: true });
      await ask("profile-stop", { file });
    },
    async heapSnapshot(file) {
      mkdirSync(dirname(file), { recursive: true });
      await ask("heap-snapshot", { file });
    },
    // The hub closes its sockets politely (up to its close timeout); past that it is killed.
    stop: () => stopChild(child, exited, 15_000),
  };
}

/** Runs `fn`; with `profile`, each hub's CPU profile of just that stretch lands in
 *  PROFILE_DIR/<label>/<node>.cpuprofile (the last run's, for a suite of several). */
export async function profiled<T>(hubs: BenchHub[], label: string, profile: boolean, fn: () => Promise<T>) {
  if (!profile) return fn();
  await Promise.all(hubs.map((h) => h.startProfile()));
  try {
    return await fn();
  } finally {
    const dir = resolve(PROFILE_DIR, label.replace(/[^\w.-]+/g, "-"));
    await Promise.all(hubs.map((h) => h.stopProfile(resolve(dir, `${h.nodeId}.cpuprofile`))));
  }
}
