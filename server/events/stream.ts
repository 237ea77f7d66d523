import type { Logger } from "pino";
import { type EventData, HubEvent } from "../../shared/events";
import { redisKeys } from "../bus/keys";
import type { RedisBus, RedisClient } from "../bus/redis";
import type { Clock } from "../kernel/clock";
import { checkEvent } from "./kinds";
import type { EventSink } from "./sink";

// The live event stream. In-process: a bounded ring on this node. On Redis: one capped Redis Stream
// shared by every node, so a watcher on any node sees every node's events and a late watcher still
// sees the last minutes.

export interface EventStream extends EventSink {
  /** The last `limit` events, oldest first. */
  recent(limit: number): Promise<HubEvent[]>;
  /** Calls `fn` with every event from now on; returns a function that stops it. */
  watch(fn: (e: HubEvent) => void): () => void;
  /**
   * Calls `fn` with every event this node emits, checked, as it is emitted (Redis or not): the
   * metrics and the log lines read them here. Returns a function that stops it.
   */
  tap(fn: (e: HubEvent) => void): () => void;
  close(): Promise<void>;
}

export interface StreamOptions {
  nodeId: string;
  clock: Clock;
  log: Logger;
  /** Throw on an event that fails its kind's schema (development and tests) instead of dropping it. */
  strict: boolean;
}

abstract class BaseStream implements EventStream {
  protected readonly watchers = new Set<(e: HubEvent) => void>();
  private readonly taps = new Set<(e: HubEvent) => void>();

  constructor(protected readonly o: StreamOptions) {}

  emit(kind: string, data: EventData): void {
    const e = this.checked(kind, data);
    if (!e) return;
    this.tell(e);
    this.append(e);
  }

  /** The event stamped by this node, or null (thrown in strict mode) when it fails its kind's schema. */
  protected checked(kind: string, data: EventData): HubEvent | null {
    const check = checkEvent(kind, data);
    if (!check.ok) {
      if (this.o.strict) throw new Error(`event refused: ${check.problem}`);
      this.o.log.warn({ problem: check.problem }, "malformed event dropped");
      return null;
    }
    return { at: new Date(this.o.clock.now()).toISOString(), node: this.o.nodeId, kind, data };
  }

  /** This node's taps (metrics, logs) see every event it records, however it reaches the stream. */
  protected tell(e: HubEvent): void {
    for (const fn of this.taps) {
      try {
        fn(e);
      } catch (err) {
        this.o.log.warn({ err }, "event tap failed");
      }
    }
  }

  tap(fn: (e: HubEvent) => void): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  watch(fn: (e: HubEvent) => void): () => void {
    this.watchers.add(fn);
    this.watched();
    return () => this.watchers.delete(fn);
  }

  /** A watcher arrived (the Redis stream starts reading). */
  protected watched(): void {}

  protected deliver(e: HubEvent): void {
    for (const fn of this.watchers) {
      try {
        fn(e);
      } catch (err) {
        this.o.log.warn({ err }, "event watcher failed");
      }
    }
  }

  protected abstract append(e: HubEvent): void;
  abstract recent(limit: number): Promise<HubEvent[]>;
  abstract close(): Promise<void>;
}

export class MemoryEventStream extends BaseStream {
  private readonly ring: HubEvent[] = [];
  private seq = 0;

  constructor(
    o: StreamOptions,
    private readonly capacity = 1000,
  ) {
    super(o);
  }

  protected append(e: HubEvent): void {
    const withId = { ...e, id: String(++this.seq) };
    this.ring.push(withId);
    if (this.ring.length > this.capacity) this.ring.shift();
    this.deliver(withId);
  }

  async recent(limit: number): Promise<HubEvent[]> {
    return this.ring.slice(-limit);
  }

  async close(): Promise<void> {
    this.watchers.clear();
  }
}

type XEntries = [id: string, fields: string[]][];

/**
 * `XADD ${REDIS_PREFIX}events MAXLEN ~ N`: every node appends (a QR ticket's events ride in its
 * write's script: `encode`), and a node reads (XREAD BLOCK on a connection of its own) only while a
 * console or CLI watches through it, handing events to its watchers. While Redis is away events are
 * dropped (counted in the log), never queued without bound.
 */
export class RedisEventStream extends BaseStream {
  readonly key: string;
  private readonly reader: RedisClient;
  private closed = false;
  private dropped = 0;
  /** XADDs not yet answered (each settles within CALL_DEADLINE_MS): close() waits for them. */
  private readonly appending = new Set<Promise<void>>();
  private loop: Promise<void> = Promise.resolve();
  private readerRunning = false;
  /** Resolves once the reader knows where the stream ends (so it misses nothing emitted after). */
  private tailKnown: Promise<void> = Promise.resolve();

  constructor(
    o: StreamOptions,
    private readonly bus: RedisBus,
    readonly maxLen = 10_000,
  ) {
    super(o);
    this.key = bus.key(redisKeys.events());
    // Its own connection (XREAD BLOCK holds it), which waits for Redis instead of failing fast. A read
    // cut by an outage must be sent again: ioredis would otherwise drop it unsettled and stall the loop.
    this.reader = bus.waitingConnection("shiming-events");
    this.reader.on("error", () => {}); // the bus logs outages once
  }

  /** The event as the stream keeps it, for a script that appends it with its own write; once that
   *  write landed, `landed` tells this node's taps. */
  encode(kind: string, data: EventData): { json: string; event: HubEvent } | null {
    const e = this.checked(kind, data);
    return e ? { json: JSON.stringify(e), event: e } : null;
  }

  landed(events: HubEvent[]): void {
    for (const e of events) this.tell(e);
  }

  protected append(e: HubEvent): void {
    const { id: _id, ...body } = e;
    const written = this.bus
      .call((r) => r.xadd(this.key, "MAXLEN", "~", this.maxLen, "*", "e", JSON.stringify(body)))
      .then(
        () => {},
        () => {
          this.dropped += 1;
          if (this.dropped === 1 || this.dropped % 100 === 0)
            this.o.log.warn({ dropped: this.dropped }, "events dropped");
        },
      )
      .finally(() => this.appending.delete(written));
    this.appending.add(written);
  }

  async recent(limit: number): Promise<HubEvent[]> {
    await this.tailKnown; // a watcher that just arrived: its live events start after this history
    const rows = (await this.bus.call((r) => r.xrevrange(this.key, "+", "-", "COUNT", limit))) as XEntries;
    return rows
      .map(toEvent)
      .filter((e): e is HubEvent => e !== null)
      .reverse();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watchers.clear();
    this.reader.disconnect();
    // A draining node's last events (its sockets' closes) are written before the bus goes.
    await Promise.all([this.loop, ...this.appending]);
  }

  protected override watched(): void {
    if (this.readerRunning || this.closed) return;
    this.readerRunning = true;
    let markTail: () => void = () => {};
    this.tailKnown = new Promise((resolve) => {
      markTail = resolve;
    });
    this.loop = this.readWhileWatched(markTail).finally(() => {
      this.readerRunning = false;
      markTail();
      if (this.watchers.size > 0) this.watched(); // one arrived as the last one left
    });
  }

  private async readWhileWatched(markTail: () => void): Promise<void> {
    let last: string | null = null;
    while (!this.closed && this.watchers.size > 0) {
      try {
        if (last === null) {
          const tail = (await this.reader.xrevrange(this.key, "+", "-", "COUNT", 1)) as XEntries;
          last = tail[0]?.[0] ?? "0-0";
          markTail();
        }
        const res = (await this.reader.xread("COUNT", 500, "BLOCK", 1000, "STREAMS", this.key, last)) as
          | [string, XEntries][]
          | null;
        for (const [, entries] of res ?? []) {
          for (const entry of entries) {
            last = entry[0];
            const e = toEvent(entry);
            if (e) this.deliver(e);
          }
        }
      } catch {
        markTail(); // Redis away: the history read fails fast too; live events resume with Redis
        if (!this.closed) await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}

function toEvent([id, fields]: [string, string[]]): HubEvent | null {
  const i = fields.indexOf("e");
  if (i < 0) return null;
  try {
    const r = HubEvent.safeParse({ ...JSON.parse(fields[i + 1] ?? ""), id });
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
