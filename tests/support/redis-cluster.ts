import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Cluster, Redis } from "ioredis";
import type { RedisClient } from "../../server/bus/redis";
import { freshRedisPrefix, TEST_REDIS_URL } from "./services";

// The two Redis setups the bus-dependent suites run on (describe.each(BUSES)): one Redis, and a real
// Redis Cluster (3 masters + 3 replicas). `.ci/run` starts the cluster and sets TEST_REDIS_CLUSTER_NODES;
// without it a local run starts one of its own (scripts/redis-cluster.sh, own ports, stopped after) and
// CI=true fails instead, so no cluster suite is ever skipped quietly.

export const BUSES = ["redis", "redis-cluster"] as const;
export type BusKind = (typeof BUSES)[number];

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCRIPT = join(ROOT, "scripts/redis-cluster.sh");
const run = promisify(execFile);

export interface TestRedis {
  kind: BusKind;
  /** What REDIS_URL gets (a `redis+cluster://` URL for the cluster). */
  url: string;
  /** This run's own key prefix (REDIS_PREFIX). */
  prefix: string;
  /** The cluster's nodes, host:port (masters first); one entry for a single Redis. */
  nodes: string[];
  /** A plain client for looking at keys (cluster-aware for the cluster). */
  client(): RedisClient;
  /** Listens to the bus's raw channels as an outsider (SSUBSCRIBE on the cluster). */
  spy(channels: string[], fn: (channel: string, message: string) => void): Promise<() => void>;
  cleanup(): Promise<void>;
}

/** Env for a hub on this Redis: REDIS_URL and REDIS_PREFIX. */
export function busEnv(r: TestRedis): Record<string, string> {
  return { REDIS_URL: r.url, REDIS_PREFIX: r.prefix };
}

let own: { dir: string; nodes: string[]; users: number } | null = null;

/** Clusters started by this process and not stopped yet: killed when it exits (a hook that timed out,
 *  a failed test), so no redis-server outlives its test run. */
const running = new Set<string>();
process.once("exit", () => {
  for (const dir of running) killAll(dir);
});

function killAll(dir: string): void {
  try {
    for (const f of readdirSync(dir).filter((n) => /^redis-\d+\.pid$/.test(n))) {
      try {
        const pid = Number(readFileSync(join(dir, f), "utf8").trim());
        // A server killed earlier leaves its pid file behind: never kill whoever has that pid now.
        if (readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("redis-server"))
          process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // the directory is gone: stopped meanwhile
  }
}

/** scripts/redis-cluster.sh start DIR: the nodes, once every replica is in sync. */
async function startIn(dir: string): Promise<string[]> {
  running.add(dir);
  try {
    const { stdout } = await run(SCRIPT, ["start", dir], { timeout: 120_000 });
    return stdout.trim().split(",");
  } catch (err) {
    await stopIn(dir).catch(() => killAll(dir));
    throw err;
  }
}

async function stopIn(dir: string): Promise<void> {
  try {
    await run(SCRIPT, ["stop", dir], { timeout: 60_000 });
  } finally {
    killAll(dir);
    running.delete(dir);
  }
}
let starting: Promise<string[]> | null = null;

/** A Redis Cluster of one test's own (scripts/redis-cluster.sh), which it may break: kill a master. */
export class OwnCluster {
  private constructor(
    readonly dir: string,
    readonly nodes: string[],
  ) {}

  static async start(): Promise<OwnCluster> {
    const dir = mkdtempSync(join(tmpdir(), "shiming-redis-cluster-"));
    return new OwnCluster(dir, await startIn(dir));
  }

  /** SIGKILL of the server at host:port: a crash, no failover handshake. */
  kill(hostPort: string): void {
    const port = hostPort.slice(hostPort.lastIndexOf(":") + 1);
    process.kill(Number(readFileSync(join(this.dir, `redis-${port}.pid`), "utf8").trim()), "SIGKILL");
  }

  stop(): Promise<void> {
    return stopIn(this.dir);
  }
}

/** The cluster to test on: TEST_REDIS_CLUSTER_NODES, or (not under CI) one started for this process. */
export async function clusterNodes(): Promise<string[]> {
  const fromEnv = process.env.TEST_REDIS_CLUSTER_NODES;
  if (fromEnv) return fromEnv.split(",").map((s) => s.trim());
  if (process.env.CI === "true")
    throw new Error("TEST_REDIS_CLUSTER_NODES is not set (.ci/run starts the Redis Cluster and sets it)");
  if (own) {
    own.users += 1;
    return own.nodes;
  }
  starting ??= (async () => {
    const c = await OwnCluster.start();
    own = { dir: c.dir, nodes: c.nodes, users: 0 };
    return c.nodes;
  })();
  const nodes = await starting;
  const started = own as { users: number } | null;
  if (started) started.users += 1;
  return nodes;
}

async function releaseCluster(): Promise<void> {
  if (!own) return;
  own.users -= 1;
  if (own.users > 0) return;
  const { dir } = own;
  own = null;
  starting = null;
  await stopIn(dir);
}

const toNode = (hp: string) => {
  const i = hp.lastIndexOf(":");
  return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
};

/** A Redis of the given kind with a fresh prefix; `cleanup` deletes the prefix's keys (and stops an own
 *  cluster). `cluster` instead of the shared one: a test's own, which it may break. */
export async function testRedis(kind: BusKind, tag = "test", cluster?: OwnCluster): Promise<TestRedis> {
  if (kind === "redis") {
    const p = freshRedisPrefix(tag);
    const u = new URL(TEST_REDIS_URL);
    return {
      kind,
      url: TEST_REDIS_URL,
      prefix: p.prefix,
      nodes: [`${u.hostname}:${u.port || 6379}`],
      client: () => new Redis(TEST_REDIS_URL),
      async spy(channels, fn) {
        const r = new Redis(TEST_REDIS_URL);
        await r.subscribe(...channels);
        r.on("message", fn);
        return () => r.disconnect();
      },
      cleanup: p.cleanup,
    };
  }
  const nodes = cluster ? cluster.nodes : await clusterNodes();
  const p = freshRedisPrefix(tag);
  const client = () => new Cluster(nodes.map(toNode));
  return {
    kind,
    url: `redis+cluster://${nodes.join(",")}`,
    prefix: p.prefix,
    nodes,
    client,
    async spy(channels, fn) {
      const c = new Cluster(nodes.map(toNode), { shardedSubscribers: true });
      c.on("error", () => {});
      for (const ch of channels) await c.ssubscribe(ch);
      c.on("smessage", fn);
      return () => c.disconnect();
    },
    async cleanup() {
      const c = client();
      try {
        await Promise.all(
          c.nodes("master").map(async (m) => {
            let cursor = "0";
            do {
              const [next, keys] = await m.scan(cursor, "MATCH", `${p.prefix}*`, "COUNT", 500);
              cursor = next;
              for (const k of keys) await c.del(k);
            } while (cursor !== "0");
          }),
        );
      } finally {
        c.disconnect();
        if (!cluster) await releaseCluster();
      }
    },
  };
}

/** The master serving `key`'s slot and its replica (if it has one now), host:port, as any live node sees it. */
export async function shardOf(r: TestRedis, key: string): Promise<{ master: string; replica?: string }> {
  let lastErr: unknown;
  for (const hp of r.nodes) {
    const c = new Redis(toNode(hp).port, toNode(hp).host, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    c.on("error", () => {});
    try {
      const slot = Number(await c.call("CLUSTER", "KEYSLOT", key));
      const rows = String(await c.call("CLUSTER", "NODES"))
        .trim()
        .split("\n")
        .map((l) => l.split(" "));
      const owns = (row: string[]) =>
        row.slice(8).some((range) => {
          const [lo, hi] = range.split("-").map(Number);
          return lo !== undefined && slot >= lo && slot <= (hi ?? lo);
        });
      const addr = (row: string[] | undefined) => (row?.[1] ?? "").split("@")[0] ?? "";
      const master = rows.find((row) => row[2]?.includes("master") && !row[2]?.includes("fail") && owns(row));
      if (!master) throw new Error(`no live master owns slot ${slot}`);
      const replica = rows.find((row) => row[3] === master[0] && !row[2]?.includes("fail"));
      return { master: addr(master), ...(replica ? { replica: addr(replica) } : {}) };
    } catch (err) {
      lastErr = err;
    } finally {
      c.disconnect();
    }
  }
  throw lastErr;
}
