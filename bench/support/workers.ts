import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { stopChild } from "./child";
import { cpuMs } from "./proc";

// Load generators: child processes (never the hub's), each running one script under bench/load/,
// with as many file descriptors as the machine allows. The bench talks to them over IPC: it sends
// a command, the worker answers with a message of the same `type` (or `failed`).

const ROOT = resolve(import.meta.dirname, "../..");

export interface Worker {
  pid: number;
  /** Sends `cmd` and resolves with the worker's answer to it. */
  ask<T>(cmd: { type: string } & Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Messages the worker sends on its own (progress), by type. */
  on(type: string, fn: (m: Record<string, unknown>) => void): void;
  cpuMs(): number;
  stop(): Promise<void>;
}

export function spawnWorker(script: string, name: string): Worker {
  const file = resolve(ROOT, "bench/load", script);
  const sh = `ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`;
  const child: ChildProcess = spawn("sh", ["-c", sh, "sh", process.execPath, "--import", "tsx", file], {
    cwd: ROOT,
    env: { ...process.env, BENCH_WORKER: name },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  const listeners = new Map<string, ((m: Record<string, unknown>) => void)[]>();
  child.on("message", (m: Record<string, unknown>) => {
    for (const fn of listeners.get(String(m.type)) ?? []) fn(m);
  });
  let asks = 0;
  return {
    pid: child.pid ?? 0,
    ask<T>(cmd: { type: string } & Record<string, unknown>, timeoutMs = 120_000) {
      const id = ++asks;
      return new Promise<T>((res, rej) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          child.off("message", on);
          fn();
        };
        const timer = setTimeout(
          () => done(() => rej(new Error(`${name}: no answer to ${cmd.type} in ${timeoutMs} ms`))),
          timeoutMs,
        );
        const on = (m: { id?: number; type?: string; error?: string }) => {
          if (m.id !== id) return;
          if (m.type === "failed") done(() => rej(new Error(`${name}: ${m.error}`)));
          else done(() => res(m as T));
        };
        child.on("message", on);
        exited.then(() => done(() => rej(new Error(`${name} exited during ${cmd.type}`))));
        child.send({ ...cmd, id });
      });
    },
    on(type, fn) {
      listeners.set(type, [...(listeners.get(type) ?? []), fn]);
    },
    cpuMs: () => cpuMs(child.pid ?? 0),
    stop: () => stopChild(child, exited, 10_000),
  };
}

/** The worker's side: answer each command with the handler's result (or `failed`). */
export function serve(handlers: Record<string, (cmd: Record<string, unknown>) => Promise<object>>): void {
  process.on("message", async (cmd: { type: string; id: number } & Record<string, unknown>) => {
    const fn = handlers[cmd.type];
    try {
      if (!fn) throw new Error(`unknown command ${cmd.type}`);
      process.send?.({ ...(await fn(cmd)), type: cmd.type, id: cmd.id });
    } catch (err) {
      process.send?.({ type: "failed", id: cmd.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  process.on("SIGTERM", () => process.exit(0));
  process.on("disconnect", () => process.exit(0)); // the bench is gone: so are we
}
