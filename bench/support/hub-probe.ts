import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { Redis } from "ioredis";
import pg from "pg";

// Preloaded into a bench hub (`node --import tsx --import ./bench/support/hub-probe.ts server/main.ts`):
// answers the bench over the IPC channel. The hub's own code is untouched.
// - `memory`: process.memoryUsage() after a full GC, so the figure is what the hub holds, not
//   garbage waiting to be collected;
// - `profile-start` / `profile-stop`: a V8 CPU profile of exactly the measured stretch (`--hub-profile`);
// - `counters`: Redis commands and SQL statements this process has sent so far, counted where they
//   leave it (ioredis' sendCommand, pg's Client#query), by name. No MONITOR, nothing on the server.

type Ask = { id: number } & (
  | { type: "memory" }
  | { type: "profile-start" }
  | { type: "profile-stop"; file: string }
  | { type: "counters" }
);

const redisSent: Record<string, number> = {};
const sqlSent: Record<string, number> = {};
const count = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};
{
  const proto = Redis.prototype as unknown as {
    sendCommand(cmd: { name: string }, ...rest: unknown[]): unknown;
  };
  const send = proto.sendCommand;
  proto.sendCommand = function (this: unknown, cmd: { name: string }, ...rest: unknown[]) {
    count(redisSent, cmd.name);
    return send.call(this, cmd, ...rest);
  };
  const client = pg.Client.prototype as unknown as { query(...args: unknown[]): unknown };
  const query = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string } | null)?.text ?? "");
    count(sqlSent, /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "?");
    return query.apply(this, args);
  };
}

let inspector: Session | null = null;

async function answer(m: Ask): Promise<object> {
  switch (m.type) {
    case "memory": {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      return { gc: Boolean(gc), ...process.memoryUsage() };
    }
    case "counters":
      return { redis: { ...redisSent }, sql: { ...sqlSent } };
    case "profile-start":
      inspector = new Session();
      inspector.connect();
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.setSamplingInterval", { interval: 200 });
      await inspector.post("Profiler.start");
      return {};
    case "profile-stop": {
      if (!inspector) throw new Error("no profile running");
      const { profile } = await inspector.post("Profiler.stop");
      inspector.disconnect();
      inspector = null;
      writeFileSync(m.file, JSON.stringify(profile));
      return { file: m.file };
    }
  }
}

if (process.send) {
  process.channel?.unref(); // the probe must never keep a hub alive
  // The bench is gone (crashed, interrupted): stop the way the hub stops on SIGTERM, no orphans.
  process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
  process.on("message", (m: Ask) => {
    answer(m).then(
      (r) => process.send?.({ ...r, type: m.type, id: m.id }),
      (err: Error) => process.send?.({ type: "failed", id: m.id, error: err.message }),
    );
  });
}
