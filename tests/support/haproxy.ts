import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./hub-nodes";

// A real balancer in front of hub nodes: HAProxy in HTTP mode (WebSocket upgrades included), round
// robin, appending the client's address to X-Forwarded-For as the README's deployments do. So that one
// test machine can be 36 offices, HAProxy's listener also speaks the PROXY protocol (`accept-proxy`):
// each test connection first says which address it comes from, and HAProxy treats that as the
// client's own, exactly as if the packets had come from there.

export const HAPROXY = "/usr/sbin/haproxy";

export class Haproxy {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly exited: Promise<unknown>,
    private readonly dir: string,
  ) {}

  static async start(backends: string[]): Promise<Haproxy> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "shiming-haproxy-"));
    const servers = backends.map((url, i) => `  server node${i} ${new URL(url).host}`).join("\n");
    const cfg = join(dir, "haproxy.cfg");
    writeFileSync(
      cfg,
      `global
  maxconn 1000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  option forwardfor
frontend hubs
  bind 127.0.0.1:${port} accept-proxy
  default_backend nodes
backend nodes
  balance roundrobin
${servers}
`,
    );
    const child = spawn(HAPROXY, ["-db", "-f", cfg], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr?.on("data", (d) => {
      err += d;
    });
    const exited = new Promise((r) => child.once("exit", r));
    const proxy = new Haproxy(port, child, exited, dir);
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`haproxy exited: ${err}`);
      if (await proxy.accepts()) return proxy;
      if (i > 200) throw new Error(`haproxy did not listen: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A TCP connection to the balancer that comes "from" `clientIp` (PROXY protocol v1). */
  connectFrom(clientIp: string): Socket {
    const socket = connect(this.port, "127.0.0.1");
    const family = clientIp.includes(":") ? "TCP6" : "TCP4";
    const dst = family === "TCP6" ? "::1" : "127.0.0.1";
    socket.write(`PROXY ${family} ${clientIp} ${dst} ${40_000 + (hash(clientIp) % 20_000)} ${this.port}\r\n`);
    return socket;
  }

  /** An HTTP request through the balancer from `clientIp`; the JSON answer. */
  fetchFrom(
    clientIp: string,
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          method,
          path,
          headers: { ...headers, ...(data ? { "content-type": "application/json" } : {}) },
          host: "127.0.0.1",
          port: this.port,
          // no agent: every request on a connection of its own, opened below
          createConnection: () => this.connectFrom(clientIp),
        },
        (res) => {
          let text = "";
          res.on("data", (d) => {
            text += d;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || "{}") }));
        },
      );
      req.on("error", reject);
      req.end(data);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private accepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = connect(this.port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
  }
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
