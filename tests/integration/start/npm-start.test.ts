import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentStamp, pagesState, WEB_LINK } from "../../../scripts/build-web";
import { freePort } from "../../support/hub-nodes";

// `npm start` as an operator (or a container's `CMD ["npm", "start"]`) runs it: through npm, stopped by a
// SIGTERM to npm's PID. npm runs each script in a folder of its own here: a copy of package.json with links to
// the checkout's code, so the test's .env never touches (nor reads) the checkout's.

const ROOT = resolve(import.meta.dirname, "../../..");
const START_MS = 120_000;

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), "shiming-npm-"));
  for (const entry of ["package.json", "node_modules", "server", "scripts", "shared", "tsconfig.json"]) {
    symlinkSync(join(ROOT, entry), join(dir, entry));
  }
  return dir;
}

/** Processes whose parent is `pid`, with their command line (from /proc: no `ps` needed). */
function childrenOf(pid: number): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== pid) continue;
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean);
      out.push({ pid: Number(name), argv });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Running, that is: neither gone nor a zombie waiting to be reaped (npm may exit before reaping its child). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = START_MS) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface NpmRun {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm …` in `cwd`; in a process group of its own, as a terminal's foreground job is. */
function npmRun(cwd: string, args: string[], env: Record<string, string | undefined>): NpmRun {
  const npm = spawn("npm", args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  npm.stdout?.on("data", (d) => {
    out += d;
  });
  npm.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    npm.once("exit", (code, signal) => res({ code, signal })),
  );
  running.add(npm);
  exited.then(() => running.delete(npm));
  return { npm, output: () => out, exited };
}

async function listening(run: NpmRun): Promise<string> {
  let exited = false;
  run.exited.then(() => {
    exited = true;
  });
  return until("the hub to listen", () => {
    if (exited) throw new Error(`npm exited before the hub listened:\n${run.output()}`);
    return /listening on (http:\/\/\S+)/.exec(run.output())?.[1];
  });
}

const running = new Set<ChildProcess>();
const dirs: string[] = [];
/** A failed test leaves nothing running: npm and whatever it started (a shell, a hub, a build). */
function killTree(pid: number): void {
  for (const child of childrenOf(pid)) killTree(child.pid);
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

afterAll(() => {
  for (const npm of running) if (npm.pid) killTree(npm.pid);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

// Built as `npm test` and `npm ci` leave them (a no-op when they are up to date).
beforeAll(async () => {
  const build = npmRun(ROOT, ["run", "build:web"], {});
  expect((await build.exited).code, build.output()).toBe(0);
}, START_MS);

describe("npm start", () => {
  const cwd = sandbox();
  dirs.push(cwd);
  const dataDir = tempDir("shiming-start-data-");
  const env = { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "warn", NODE_ID: "start-test" };

  it(
    "runs the hub as npm's own child, which a SIGTERM to npm stops cleanly: exit 0, no hub.json, no store.lock",
    async () => {
      const run = npmRun(cwd, ["start"], env);
      const url = await listening(run);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(existsSync(join(dataDir, "hub.json"))).toBe(true);
      expect(existsSync(join(dataDir, "store.lock"))).toBe(true);

      // No shell in between: npm's only child is node running the hub, so npm's forwarded signal reaches it.
      const [hub, ...others] = childrenOf(run.npm.pid ?? 0);
      expect(others).toEqual([]);
      expect(hub?.argv[0]).toMatch(/(^|\/)node$/);
      expect(hub?.argv).toContain("server/main.ts");
      expect(hub?.argv).toContain("--env-file-if-exists=.env");

      // The same for a CLI: `npm run events` follows the stream until stopped.
      const events = npmRun(cwd, ["run", "events", "--", "--url", url], {});
      const watcher = await until("npm run events' node", () =>
        childrenOf(events.npm.pid ?? 0).find((c) => c.argv.includes("server/events/cli.ts")),
      );
      expect(watcher.argv[0]).toMatch(/(^|\/)node$/);
      events.npm.kill("SIGTERM");
      await events.exited;
      await until("npm run events' node to end", () => (alive(watcher.pid) ? undefined : true), 10_000);

      run.npm.kill("SIGTERM");
      // npm exits with its child's status: 0 only if the hub itself exited 0.
      expect(await run.exited).toEqual({ code: 0, signal: null });
      await until("the hub process to end", () => (alive(hub?.pid ?? 0) ? undefined : true), 10_000);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      expect(existsSync(join(dataDir, "hub.json"))).toBe(false);
      expect(existsSync(join(dataDir, "store.lock"))).toBe(false);
      expect(run.output()).not.toMatch(/npm error/);
    },
    START_MS * 2,
  );

  it(
    "starts again on pages already built, without building them (the build stamp is unchanged)",
    async () => {
      expect(pagesState().fresh).toBe(true);
      const target = realpathSync(WEB_LINK);
      const stamp = currentStamp();
      const stampTime = statSync(join(target, "../stamp.json")).mtimeMs;

      const run = npmRun(cwd, ["start"], env);
      const url = await listening(run);
      const page = await fetch(`${url}/app`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("/static/assets/");
      expect(run.output()).not.toContain("building");
      expect(realpathSync(WEB_LINK)).toBe(target);
      expect(currentStamp()).toEqual(stamp);
      expect(statSync(join(target, "../stamp.json")).mtimeMs).toBe(stampTime);

      run.npm.kill("SIGTERM");
      expect(await run.exited).toEqual({ code: 0, signal: null });
    },
    START_MS * 2,
  );

  it(
    "stops as cleanly on Ctrl-C, which reaches npm and the hub at once (and npm passes it on again)",
    async () => {
      const run = npmRun(cwd, ["start"], env);
      await listening(run);
      process.kill(-(run.npm.pid ?? 0), "SIGINT"); // what the terminal does: the whole foreground group
      expect(await run.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(join(dataDir, "hub.json"))).toBe(false);
      expect(existsSync(join(dataDir, "store.lock"))).toBe(false);
    },
    START_MS * 2,
  );
});

describe("npm start with a .env", () => {
  it(
    "reads it from the package folder, and the real environment wins over it",
    async () => {
      const cwd = sandbox();
      dirs.push(cwd);
      const port = await freePort();
      await writeFile(
        join(cwd, ".env"),
        `# as in .env.example\nPORT=${port}\nNODE_ID=from-the-file\nDATA_DIR=:memory:\nLOG_LEVEL=warn\n`,
      );
      const run = npmRun(cwd, ["start"], {
        PORT: undefined,
        DATA_DIR: undefined,
        HOST: "127.0.0.1",
        NODE_ID: "from-the-environment",
      });
      const url = await listening(run);
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(run.output()).toContain(
        `shiming hub from-the-environment listening on http://127.0.0.1:${port}`,
      );
      expect(run.output()).toContain("embedded PGlite in memory");
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      run.npm.kill("SIGTERM");
      expect(await run.exited).toEqual({ code: 0, signal: null });
    },
    START_MS * 2,
  );
});
