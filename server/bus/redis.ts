import { Redis } from "ioredis";
import type { Logger } from "pino";
import { type Bus, BusUnavailable, windowIndex } from "./bus";

// INCR and PEXPIRE in one step, so a counter never lives forever if a node dies between the two.
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** Replies that mean "try again soon" rather than a bug in our commands. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)/;

/**
 * Redis bus: pub/sub for hints, keys with TTL for state (the ticket store and the event stream use
 * `redis`, `key()` and `call()`). The command connection fails fast while Redis is away (no offline
 * queue, no resend: a write must not land twice), so callers answer UNAVAILABLE at once; ioredis keeps
 * reconnecting and resubscribes the listening connection by itself.
 */
export class RedisBus implements Bus {
  readonly kind = "redis" as const;
  readonly redis: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private readonly recoverFns: (() => void)[] = [];
  private down = false;
  private closed = false;
  private lastErrorLog = 0;

  constructor(
    url: string,
    readonly prefix: string,
    private readonly log: Logger,
  ) {
    const common = {
      connectionName: "shiming-hub",
      retryStrategy: (n: number) => Math.min(100 * 2 ** n, 2000),
    };
    this.redis = new Redis(url, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: 3000,
      scripts: { shimingHit: { lua: HIT_SCRIPT, numberOfKeys: 1 } },
    });
    this.sub = new Redis(url, { ...common, autoResubscribe: true });
    for (const conn of [this.redis, this.sub]) {
      conn.on("error", (err: Error) => this.logError(err));
      conn.on("close", () => {
        if (!this.closed && !this.down)
          log.warn("redis connection lost; answering UNAVAILABLE until it is back");
        this.down = true;
      });
      conn.on("ready", () => void this.maybeRecovered());
    }
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => this.deliver(channel, message));
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  channel(topic: string): string {
    return `${this.prefix}bus:${topic}`;
  }

  /** Both connections ready, or `timeoutMs` passed (a hub starts even while Redis is away). */
  async ready(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const waitFor = (r: Redis) =>
      r.status === "ready" ? Promise.resolve() : new Promise<void>((res) => r.once("ready", () => res()));
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    const timeout = new Promise<false>((res) => {
      timer = setTimeout(() => res(false), timeoutMs);
      onAbort = () => res(false);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    const ok = await Promise.race([
      Promise.all([waitFor(this.redis), waitFor(this.sub)]).then(() => true),
      timeout,
    ]);
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    return ok;
  }

  /** Runs a command; losing Redis becomes BusUnavailable, a reply error from our own script stays a bug. */
  async call<T>(op: (r: Redis) => Promise<T>): Promise<T> {
    try {
      return await op(this.redis);
    } catch (err) {
      if (err instanceof Error && err.name === "ReplyError" && !TRANSIENT_REPLY.test(err.message)) throw err;
      throw new BusUnavailable(err);
    }
  }

  async publish(topic: string, payload: string): Promise<void> {
    await this.call((r) => r.publish(this.channel(topic), payload));
  }

  async subscribe(topic: string, fn: (payload: string) => void): Promise<() => void> {
    const channel = this.channel(topic);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      // Queued while Redis is away (a hub starts anyway) and resubscribed after every reconnect.
      const subscribed = this.sub.subscribe(channel);
      if (this.sub.status === "ready") await subscribed;
      else subscribed.catch(() => {});
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) {
        this.handlers.delete(channel);
        this.sub.unsubscribe(channel).catch(() => {});
      }
    };
  }

  async hit(key: string, windowMs: number, now: number): Promise<number> {
    const k = this.key(`rl:${key}:${windowIndex(now, windowMs)}`);
    const n = await this.call((r) => (r as unknown as HitCommand).shimingHit(k, windowMs));
    return Number(n);
  }

  onRecover(fn: () => void): void {
    this.recoverFns.push(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.redis.quit(), this.sub.quit()]);
    this.redis.disconnect();
    this.sub.disconnect();
  }

  private async maybeRecovered(): Promise<void> {
    if (!this.down || this.closed || this.redis.status !== "ready" || this.sub.status !== "ready") return;
    this.down = false;
    // Make sure the subscriptions are back before anyone looks again, or a hint could slip between.
    const channels = [...this.handlers.keys()];
    if (channels.length > 0) await this.sub.subscribe(...channels).catch(() => {});
    this.log.info("redis is back; re-reading what pub/sub may have missed");
    for (const fn of this.recoverFns) fn();
  }

  private deliver(channel: Buffer, message: Buffer): void {
    const set = this.handlers.get(channel.toString());
    if (!set) return;
    const payload = message.toString();
    for (const fn of set) fn(payload);
  }

  private logError(err: Error): void {
    const now = Date.now();
    if (this.closed || now - this.lastErrorLog < 5000) return; // one line per outage burst, not one per retry
    this.lastErrorLog = now;
    this.log.warn({ err: err.message }, "redis error");
  }
}

interface HitCommand {
  shimingHit(key: string, windowMs: number): Promise<number>;
}
