import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";
import { parseClusterUrl } from "../config";
import { type Bus, BusUnavailable, windowIndex } from "./bus";
import { redisKeys } from "./keys";

/** The limiter's hit as Lua, for any script that counts one (its counter `key`, its window `ms`, both
 *  Lua expressions; leaves the count in `n`): INCR and PEXPIRE in one step, so a counter never lives
 *  forever if a node dies between the two. The ticket store's scripts count their gates with it too. */
export function hitLua(key: string, ms: string): string {
  return `local n = redis.call('INCR', ${key})
if n == 1 then redis.call('PEXPIRE', ${key}, ${ms}) end`;
}

const HIT_SCRIPT = `
${hitLua("KEYS[1]", "ARGV[1]")}
return n`;

/** How long a cluster's subscribers must stay settled before held tickets are looked at again. */
const RECOVER_SETTLE_MS = 300;

/**
 * The longest a fail-fast command may take, whatever happens inside ioredis. `commandTimeout` starts
 * only once a command reaches a node's connection; on a Redis Cluster a command the cluster refuses
 * itself (its node is down: "Connection is closed.") has no timer: it waits in the cluster's failover
 * queue for a slot-map refresh, up to maxRedirections rounds, each as long as that refresh takes.
 * Past this it is BusUnavailable (UNAVAILABLE, the caller retries), like an outage.
 */
export const CALL_DEADLINE_MS = 4000;

/** Replies that mean "try again soon" rather than a bug in our commands. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)/;

/** One Redis, or every master and replica of a Redis Cluster: the command surface both share. */
export type RedisClient = Redis | Cluster;

/**
 * Redis bus: pub/sub for hints, keys with TTL for state (the ticket store and the event stream use
 * `redis`, `key()` and `call()`). The command connection fails fast while Redis is away (no offline
 * queue, no resend: a write must not land twice), so callers answer UNAVAILABLE at once; ioredis keeps
 * reconnecting and resubscribes the listening connection by itself.
 *
 * On a Redis Cluster (`redis+cluster://h1:p1,h2:p2`) the same, with two differences: hints travel
 * on sharded pub/sub (SPUBLISH/SSUBSCRIBE: a channel lives on the one shard that owns its slot, so a
 * hint crosses one shard instead of the whole cluster bus), and every key one script touches shares
 * a hash slot (`{…}` tags, built in bus/keys.ts only). A shard failing over re-subscribes by itself
 * and then counts as a recovery: held tickets are looked at again, as after a single Redis's outage.
 */
export class RedisBus implements Bus {
  readonly kind = "redis" as const;
  readonly redis: RedisClient;
  /** A Redis Cluster: hints are sharded (SPUBLISH) and a script cannot publish to a node's channel. */
  readonly cluster: boolean;
  private readonly sub: RedisClient;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private readonly recoverFns: (() => void)[] = [];
  private subscribedOnce = false;
  private shardDown = false;
  private recoverTimer: NodeJS.Timeout | undefined;
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
    const commands: RedisOptions = {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: 3000,
      // Commands issued in the same tick (a limit's count and a read, many sockets' steps) leave in one write.
      enableAutoPipelining: true,
    };
    const scripts = { shimingHit: { lua: HIT_SCRIPT, numberOfKeys: 1 } };
    const target = url.startsWith("redis+cluster://") ? parseClusterUrl(url) : null;
    if (url.startsWith("redis+cluster://") && !target) throw new Error("bad redis+cluster:// URL");
    this.cluster = target !== null;
    if (target) {
      const auth = { username: target.username, password: target.password };
      const clusterOptions = (redisOptions: RedisOptions): ClusterOptions => ({
        redisOptions: { ...redisOptions, ...auth },
        clusterRetryStrategy: common.retryStrategy,
        // A failover: MOVED / CLUSTERDOWN / TRYAGAIN are retried inside this window, then UNAVAILABLE.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
        retryDelayOnTryAgain: 200,
        slotsRefreshTimeout: 2000,
        // Without it a missed topology change (a refresh that read the old map mid-failover) is never
        // looked at again and a shard's sharded subscriptions stay on the demoted node.
        slotsRefreshInterval: 1000,
      });
      this.redis = new Cluster(target.nodes, {
        ...clusterOptions(commands),
        enableOfflineQueue: false,
        scripts,
      });
      this.sub = new Cluster(target.nodes, {
        ...clusterOptions({ ...common, autoResubscribe: true }),
        shardedSubscribers: true,
      });
      // Each shard's subscriber is (re)made after a topology change; once all are subscribed again,
      // hints sent meanwhile may be gone: look again, as after an outage.
      // While a dead master is still in the slot map that happens many times a second: one recovery
      // (and one log line) once it settles.
      this.sub.on("subscribersReady", () => {
        if (this.subscribedOnce) this.recoverSoon();
        this.subscribedOnce = true;
      });
      this.sub.on("-node", () => {
        if (!this.closed && !this.shardDown)
          log.warn("redis cluster node lost; its shard waits for a replica");
        this.shardDown = true;
      });
      this.sub.on("smessageBuffer", (channel: Buffer, message: Buffer) => this.deliver(channel, message));
    } else {
      this.redis = new Redis(url, { ...commands, scripts });
      this.sub = new Redis(url, { ...common, autoResubscribe: true });
      this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => this.deliver(channel, message));
    }
    for (const conn of [this.redis, this.sub]) {
      conn.on("error", (err: Error) => this.logError(err));
      conn.on("close", () => {
        if (!this.closed && !this.down)
          log.warn("redis connection lost; answering UNAVAILABLE until it is back");
        this.down = true;
      });
      conn.on("ready", () => void this.maybeRecovered());
    }
  }

  /** `name` under this hub's prefix. Key names themselves are built in bus/keys.ts. */
  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  channel(topic: string): string {
    return this.key(redisKeys.channel(topic));
  }

  /** A connection of its own (for blocking reads) that waits for Redis instead of failing fast; a
   *  command cut by an outage is sent again. */
  waitingConnection(connectionName: string): RedisClient {
    const waiting: RedisOptions = {
      connectionName,
      commandTimeout: undefined,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      autoResendUnfulfilledCommands: true,
    };
    if (this.redis instanceof Cluster)
      return this.redis.duplicate(undefined, {
        enableOfflineQueue: true,
        redisOptions: { ...this.redis.options.redisOptions, ...waiting },
      });
    return this.redis.duplicate(waiting);
  }

  /** Both connections ready, or `timeoutMs` passed (a hub starts even while Redis is away). */
  async ready(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const waitFor = (r: RedisClient) =>
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

  /** Runs a command; losing Redis (or no answer within CALL_DEADLINE_MS) becomes BusUnavailable, a
   *  reply error from our own script stays a bug. */
  async call<T>(op: (r: RedisClient) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BusUnavailable(new Error(`no answer from redis within ${CALL_DEADLINE_MS} ms`))),
        CALL_DEADLINE_MS,
      );
    });
    try {
      return await Promise.race([op(this.redis), deadline]);
    } catch (err) {
      if (err instanceof BusUnavailable) throw err;
      if (err instanceof Error && err.name === "ReplyError" && !TRANSIENT_REPLY.test(err.message)) throw err;
      throw new BusUnavailable(err);
    } finally {
      clearTimeout(timer);
    }
  }

  async publish(topic: string, payload: string): Promise<void> {
    const channel = this.channel(topic);
    await this.call((r) => (this.cluster ? r.spublish(channel, payload) : r.publish(channel, payload)));
  }

  async subscribe(topic: string, fn: (payload: string) => void): Promise<() => void> {
    const channel = this.channel(topic);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      // Queued while Redis is away (a hub starts anyway) and resubscribed after every reconnect.
      const subscribed = this.cluster ? this.sub.ssubscribe(channel) : this.sub.subscribe(channel);
      if (this.sub.status === "ready") await subscribed;
      else subscribed.catch(() => {});
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) {
        this.handlers.delete(channel);
        (this.cluster ? this.sub.sunsubscribe(channel) : this.sub.unsubscribe(channel)).catch(() => {});
      }
    };
  }

  async hit(key: string, windowMs: number, now: number): Promise<number> {
    const k = this.key(redisKeys.hits(key, windowIndex(now, windowMs)));
    const n = await this.call((r) => (r as unknown as HitCommand).shimingHit(k, windowMs));
    return Number(n);
  }

  onRecover(fn: () => void): void {
    this.recoverFns.push(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.recoverTimer);
    // Auto-pipelined commands leave on the next setImmediate, but QUIT is never pipelined: it would
    // overtake them and Redis would drop them unanswered (a draining node's last events, its sockets'
    // 1012 closes among them). One turn first, so everything issued before close() is written ahead of it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.allSettled([this.redis.quit(), this.sub.quit()]);
    this.redis.disconnect();
    this.sub.disconnect();
  }

  private async maybeRecovered(): Promise<void> {
    if (!this.down || this.closed || this.redis.status !== "ready" || this.sub.status !== "ready") return;
    this.down = false;
    // Make sure the subscriptions are back before anyone looks again, or a hint could slip between.
    // (A cluster's sharded subscribers resubscribe per shard by themselves.)
    const channels = [...this.handlers.keys()];
    if (channels.length > 0 && !this.cluster) await this.sub.subscribe(...channels).catch(() => {});
    this.recovered("redis is back");
  }

  /** A cluster's subscribers were remade: look again once they have been settled for a moment. */
  private recoverSoon(): void {
    clearTimeout(this.recoverTimer);
    this.recoverTimer = setTimeout(() => {
      this.shardDown = false;
      this.recovered("redis cluster subscribers are back");
    }, RECOVER_SETTLE_MS);
    this.recoverTimer.unref();
  }

  private recovered(why: string): void {
    if (this.closed) return;
    this.log.info(`${why}; re-reading what pub/sub may have missed`);
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
