// `npm run balanced`: two hub nodes and a real HAProxy (Debian's /usr/sbin/haproxy) on loopback, on
// Redis and PostgreSQL, as compose.yaml runs them in containers. Prints where to open what; Ctrl-C
// drains both nodes and stops the balancer. The e2e test (tests/e2e/balanced.test.ts) starts the
// same thing through `startBalanced`.
//
//   REDIS_URL (default redis://127.0.0.1:6379), DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shiming),
//   BALANCER_PORT (default 8080), and anything else a hub reads (NODE_ENV, OPERATOR_TOKEN…).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./free-port";
import { haproxyConfig } from "./haproxy-config";

const ROOT = resolve(import.meta.dirname, "..");
export const HAPROXY = process.env.HAPROXY_PATH ?? "/usr/sbin/haproxy";

export interface BalancedOptions {
  redisUrl: string;
  databaseUrl: string;
  /** The balancer's port on 127.0.0.1 (0: a free one). */
  port: number;
  /** Extra environment for both nodes (REDIS_PREFIX, LOG_LEVEL, NODE_ENV…). */
  env?: Record<string, string>;
  nodeIds?: [string, string];
  /** Where each process's output goes; by default into `output()` only. */
  onOutput?: (who: string, text: string) => void;
}

export interface Balanced {
  /** The balancer's address: PUBLIC_URL of both nodes, the one address to open. */
  url: string;
  nodes: { id: string; url: string; child: ChildProcess }[];
  haproxy: ChildProcess;
  output(): string;
  /** SIGTERM to every process (the nodes drain), waits for them to exit. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once("exit", () => r()));
}

class Fatal extends Error {}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number, log: () => string) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch((err) => {
      if (err instanceof Fatal) throw err;
      return undefined;
    });
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startBalanced(o: BalancedOptions): Promise<Balanced> {
  if (!existsSync(HAPROXY)) throw new Error(`no HAProxy at ${HAPROXY} (apt-get install haproxy)`);
  const port = o.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const ids = o.nodeIds ?? ["node-a", "node-b"];
  let out = "";
  const capture = (who: string, child: ChildProcess) => {
    const take = (d: Buffer) => {
      const text = d.toString();
      out += text.replace(/^(?=.)/gm, `[${who}] `);
      o.onOutput?.(who, text);
    };
    child.stdout?.on("data", take);
    child.stderr?.on("data", take);
  };
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    await Promise.all(children.map(exited));
  };

  try {
    const nodes = await Promise.all(
      ids.map(async (id) => {
        const nodePort = await freePort();
        const child = spawn(
          process.execPath,
          [
            "--env-file-if-exists=.env",
            "--import",
            "tsx",
            "--import",
            "./scripts/pages-ready.ts",
            "server/main.ts",
          ],
          {
            cwd: ROOT,
            env: {
              ...process.env,
              ...o.env,
              NODE_ID: id,
              HOST: "127.0.0.1",
              PORT: String(nodePort),
              PUBLIC_URL: url,
              REDIS_URL: o.redisUrl,
              DATABASE_URL: o.databaseUrl,
              // HAProxy on loopback writes X-Forwarded-For; nobody else's word counts.
              TRUST_PROXY: "loopback",
              TRUST_PROXY_HEADER: "x-forwarded-for",
            },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        children.push(child);
        capture(id, child);
        const nodeUrl = `http://127.0.0.1:${nodePort}`;
        await until(
          `${id} to be ready`,
          async () => {
            if (child.exitCode !== null) throw new Fatal(`${id} exited with ${child.exitCode}\n${out}`);
            return (await fetch(`${nodeUrl}/readyz`)).status === 200 ? true : undefined;
          },
          120_000,
          () => out,
        );
        return { id, url: nodeUrl, child };
      }),
    );

    const dir = await mkdtemp(join(tmpdir(), "shiming-haproxy-"));
    const cfg = join(dir, "haproxy.cfg");
    await writeFile(
      cfg,
      haproxyConfig({
        bind: `127.0.0.1:${port}`,
        servers: nodes.map((n) => ({ name: n.id, address: n.url.replace("http://", "") })),
        maxconn: 4096, // within a shell's usual open-files limit
      }),
    );
    const haproxy = spawn(HAPROXY, ["-db", "-f", cfg], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(haproxy);
    capture("haproxy", haproxy);
    haproxy.once("exit", () => void rm(dir, { recursive: true, force: true }));

    // Both nodes in rotation: round robin through the balancer reaches each of them.
    const seen = new Set<string>();
    await until(
      "the balancer to reach both nodes",
      async () => {
        if (haproxy.exitCode !== null) throw new Fatal(`haproxy exited with ${haproxy.exitCode}\n${out}`);
        const res = await fetch(`${url}/readyz`);
        const node = res.headers.get("x-hub-node");
        if (res.status === 200 && node) seen.add(node);
        return seen.size === nodes.length ? true : undefined;
      },
      60_000,
      () => out,
    );
    return { url, nodes, haproxy, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.BALANCER_PORT ?? 8080);
  const b = await startBalanced({
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/shiming",
    port,
    onOutput: (who, text) => {
      for (const line of text.split("\n")) if (line) process.stdout.write(`[${who}] ${line}\n`);
    },
  });
  console.log(
    [
      "",
      `two hub nodes behind HAProxy, open everything at ${b.url}:`,
      ...b.nodes.map((n) => `  ${n.id}: ${n.url} (direct, for /readyz /metrics)`),
      `  extension options → hub URL ${b.url}`,
      `  phone app          ${b.url}/app`,
      `  portal             ${b.url}/web`,
      `  events (all nodes) ${b.url}/dev/events`,
      "each answer names its node in the X-Hub-Node header; Ctrl-C drains both nodes and stops HAProxy",
    ].join("\n"),
  );
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      b.stop().then(() => process.exit(0));
    });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((err) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
