import { Socket } from "node:net";
import { Redis } from "ioredis";
import pg from "pg";

// Counts what this process sends to Redis (every ioredis connection: commands as they leave, so a
// script is one) and to PostgreSQL (every pg statement, BEGIN and COMMIT included), by name. Nothing
// is changed on the way: the call goes on as it came. For tests that hold hubs in-process.

export interface WireCounts {
  redis: Record<string, number>;
  sql: Record<string, number>;
  /** Socket writes by the peer's port: to Redis, each is one round trip begun (several commands
   *  issued in one tick leave in one write). */
  writes: Record<string, number>;
}

const counts: WireCounts = { redis: {}, sql: {}, writes: {} };
let installed = false;

function add(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

function install(): void {
  if (installed) return;
  installed = true;
  const redisProto = Redis.prototype as unknown as {
    sendCommand(c: { name: string }, ...r: unknown[]): unknown;
  };
  const send = redisProto.sendCommand;
  redisProto.sendCommand = function (this: unknown, c: { name: string }, ...rest: unknown[]) {
    add(counts.redis, c.name);
    return send.call(this, c, ...rest);
  };
  const socketProto = Socket.prototype as unknown as { write(...args: unknown[]): boolean };
  const write = socketProto.write;
  socketProto.write = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort !== undefined) add(counts.writes, String(this.remotePort));
    return write.apply(this, args);
  };
  const pgProto = pg.Client.prototype as unknown as { query(...args: unknown[]): unknown };
  const query = pgProto.query;
  pgProto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string } | null)?.text ?? "");
    add(counts.sql, /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "?");
    return query.apply(this, args);
  };
}

/** Starts counting; the returned function gives what was sent since. */
export function countWire(): () => WireCounts {
  install();
  const before: WireCounts = {
    redis: { ...counts.redis },
    sql: { ...counts.sql },
    writes: { ...counts.writes },
  };
  const since = (now: Record<string, number>, then: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(now)
        .map(([k, v]) => [k, v - (then[k] ?? 0)] as const)
        .filter(([, v]) => v > 0),
    );
  return () => ({
    redis: since(counts.redis, before.redis),
    sql: since(counts.sql, before.sql),
    writes: since(counts.writes, before.writes),
  });
}

export const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
