import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "../../scripts/free-port";
import { stopChild } from "./child";

// A redis-server of one suite's own (no persistence, loopback only): its INFO counts only what that
// suite's processes sent, whatever else runs on the box's shared Redis.

export interface PrivateRedis {
  url: string;
  pid: number;
  /** A connection for the suite's own looks (INFO); closed with `stop`. */
  stats: Redis;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child: ChildProcess = spawn("redis-server", [...args, "--daemonize", "no"], { stdio: "ignore" });
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  const url = `redis://127.0.0.1:${port}`;
  const stats = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(50 * n, 500) });
  stats.on("error", () => {});
  const ready = await Promise.race([
    new Promise<boolean>((res) => stats.once("ready", () => res(true))),
    exited.then(() => false),
    new Promise<boolean>((res) => setTimeout(() => res(false), 20_000)),
  ]);
  if (!ready) {
    stats.disconnect();
    await stopChild(child, exited, 2000);
    throw new Error("redis-server of the suite did not start");
  }
  return {
    url,
    pid: child.pid ?? 0,
    stats,
    async stop() {
      stats.disconnect();
      await stopChild(child, exited, 5000);
    },
  };
}

/** Redis's own CPU (ms) and every command it ran (calls inside scripts included), in all and by name. */
export async function redisServerCounters(r: Redis) {
  const info = await r.info("everything");
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  const byCommand: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) byCommand[m[1] ?? ""] = Number(m[2]);
  return {
    cpuMs: (field("used_cpu_user") + field("used_cpu_sys")) * 1000,
    commands: field("total_commands_processed"),
    byCommand,
  };
}
