import { type Bus, windowIndex } from "./bus";

/** One node, no Redis: topics are in-process, delivered on a later tick like a real bus would. */
export class MemoryBus implements Bus {
  readonly kind = "memory" as const;
  private readonly topics = new Map<string, Set<(payload: string) => void>>();
  private readonly counters = new Map<string, { count: number; until: number }>();

  async publish(topic: string, payload: string): Promise<void> {
    for (const fn of this.topics.get(topic) ?? []) setImmediate(() => fn(payload));
  }

  async subscribe(topic: string, fn: (payload: string) => void): Promise<() => void> {
    const set = this.topics.get(topic) ?? new Set();
    set.add(fn);
    this.topics.set(topic, set);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.topics.delete(topic);
    };
  }

  async hit(key: string, windowMs: number, now: number): Promise<number> {
    const k = `${key}:${windowIndex(now, windowMs)}`;
    if (this.counters.size > 10_000) this.prune(now);
    const c = this.counters.get(k) ?? { count: 0, until: (windowIndex(now, windowMs) + 1) * windowMs };
    c.count += 1;
    this.counters.set(k, c);
    return c.count;
  }

  onRecover(): void {
    // An in-process bus is never away.
  }

  async close(): Promise<void> {
    this.topics.clear();
    this.counters.clear();
  }

  private prune(now: number): void {
    for (const [k, c] of this.counters) if (c.until <= now) this.counters.delete(k);
  }
}
