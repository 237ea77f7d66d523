import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { pino } from "pino";
import { WebSocket } from "ws";
import { freePort } from "../../scripts/free-port";
import { MemoryBus } from "../../server/bus";
import { loadConfig } from "../../server/config";
import { MemoryEventStream } from "../../server/events/stream";
import { type Hub, type HubOptions, startHub } from "../../server/hub";
import { systemClock } from "../../server/kernel/clock";
import { DEFAULT_LIMITS } from "../../server/limits";
import { ClientSockets } from "../../server/ws/server";
import { HubEvent } from "../../shared/events";

// Hub nodes for integration tests: in-process (several per test, distinct NODE_IDs) or as real child
// processes (`node --import tsx server/main.ts`, one process, so SIGKILL really kills the node), and
// a redis-server of a test's own that it may kill and restart.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Every test logs in from 127.0.0.1, many times a minute: in-process test hubs lift the login limits and
 * the wrong-password delay unless a test passes its own (`limits: DEFAULT_LIMITS` for the shipped ones,
 * as tests/integration/login/abuse.test.ts does).
 */
export const LIFTED_LOGIN_LIMITS = {
  loginsPerIpPerMinute: 1_000_000,
  loginsPerIpPerHour: 1_000_000,
  loginsPerAccountPerMinute: 1_000_000,
  loginsPerConnectionPerMinute: 1_000_000,
  loginFailureDelayMs: 0,
} as const;

export function testHub(env: Record<string, string> = {}, options: HubOptions = {}): Promise<Hub> {
  return startHub(
    loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", DATA_DIR: ":memory:", ...env }),
    { ...options, limits: { ...LIFTED_LOGIN_LIMITS, ...options.limits } },
  );
}

export interface HubProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `server/main.ts` in a child process and resolves once it prints where it listens. */
export async function spawnHub(env: Record<string, string>): Promise<HubProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", DATA_DIR: ":memory:", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  const url = await new Promise<string>((res, rej) => {
    // Generous: a loaded CI box (load 12–14) took over 30 s to start a hub process.
    const timer = setTimeout(() => rej(new Error(`hub did not start:\n${out}`)), 120_000);
    const look = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout?.on("data", look);
    exited.then(() => rej(new Error(`hub exited before listening:\n${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    exited,
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A redis-server of this test's own, persisting every write (AOF, fsync always) so a crash and
 *  restart keeps the ticket state, as a real deployment would. */
export class OwnRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), "shiming-redis-"));

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const r = new OwnRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes"].concat([
        "--appendfsync",
        "always",
        "--dir",
        this.dir,
        "--daemonize",
        "no",
      ]),
      { stdio: "ignore" },
    );
    for (let i = 0; i < 100; i++) {
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on("error", () => {});
      try {
        await probe.connect();
        if ((await probe.ping()) === "PONG") {
          probe.disconnect();
          return;
        }
      } catch {
        probe.disconnect();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("own redis-server did not start");
  }

  /** Kills the server outright (no shutdown save): a crash. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await gone;
    this.child = null;
  }

  /** Kills the server and brings it back with nothing: Redis lost its data (no persistence, a new
   *  empty replica, a wiped volume). */
  async restartEmpty(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    await this.start();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls `fn` until it returns a truthy value (for conditions with no event to wait on). */
export async function eventually<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 15_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface EventWatcher {
  history: HubEvent[];
  live: HubEvent[];
  /** Waits until some live event matches. */
  until(match: (e: HubEvent) => boolean, timeoutMs?: number): Promise<HubEvent>;
  close(): void;
}

/** Watches `/dev/events/ws` as a tool would; resolves once the history frame arrived. */
export async function watchEvents(
  hubUrl: string,
  query = "",
  headers: Record<string, string> = {},
): Promise<EventWatcher> {
  const ws = new WebSocket(`${hubUrl.replace(/^http/, "ws")}/dev/events/ws${query}`, { headers });
  const w: EventWatcher = {
    history: [],
    live: [],
    until: (match, timeoutMs = 15_000) => eventually(() => w.live.find(match), timeoutMs, 20),
    close: () => ws.close(),
  };
  await new Promise<void>((resolve, reject) => {
    ws.on("unexpected-response", (_req, res) => reject(new Error(`watcher refused: ${res.statusCode}`)));
    ws.on("error", reject);
    ws.on("message", (raw) => {
      const frame = JSON.parse(raw.toString()) as { type: string; events?: HubEvent[]; event?: HubEvent };
      if (frame.type === "history") {
        w.history.push(...(frame.events ?? []).map((e) => HubEvent.parse(e)));
        resolve();
      } else if (frame.event) w.live.push(HubEvent.parse(frame.event));
    });
  });
  return w;
}

/** The client socket layer alone, with no capability registered, on a free port. */
export async function bareSockets(): Promise<{
  url: string;
  sockets: ClientSockets;
  close(): Promise<void>;
}> {
  const log = pino({ level: "silent" });
  const bus = new MemoryBus();
  const server = createHttpServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const sockets = await ClientSockets.start({
    nodeId: "bare",
    publicUrl: url,
    extraOrigins: [],
    qrTtlS: 120,
    caCutoff: new Date("2020-01-01T00:00:00+08:00"),
    authorizationFrom: new Date("2020-01-01T00:00:00+08:00"),
    limits: DEFAULT_LIMITS,
    events: new MemoryEventStream({ nodeId: "bare", clock: systemClock, log, strict: true }),
    bus,
    clock: systemClock,
    log,
  });
  server.on("upgrade", (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  return {
    url,
    sockets,
    async close() {
      await sockets.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await bus.close();
    },
  };
}

export { freePort };
