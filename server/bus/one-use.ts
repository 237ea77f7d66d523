import type { Clock } from "../kernel/clock";
import type { Bus } from "./bus";
import { redisKeys } from "./keys";
import { RedisBus } from "./redis";

// One-use secrets with a lifetime: captcha answers and CA nonces. Taking a value deletes it in the
// same step, so two nodes can never both accept the same one.

export interface OneUseStore {
  /** Keep `value` under `key` for `ttlMs`. The TTL only bounds storage; callers check expiry themselves. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** Read and delete at once: of any number of takes of one key, on any node, one gets the value. */
  take(key: string): Promise<string | null>;
}

/** One process (the default single node, and tests). Expired entries are swept as new ones come in. */
export class MemoryOneUseStore implements OneUseStore {
  private readonly entries = new Map<string, { value: string; dropAt: number }>();

  constructor(private readonly clock: Pick<Clock, "now">) {}

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (e.dropAt <= now) this.entries.delete(k);
    this.entries.set(key, { value, dropAt: now + ttlMs });
  }

  async take(key: string): Promise<string | null> {
    const e = this.entries.get(key);
    this.entries.delete(key);
    return e && e.dropAt > this.clock.now() ? e.value : null;
  }
}

/** Every node: `SET key value PX ttl`, then `GETDEL` (Redis ≥ 6.2) takes it exactly once; a Redis
 *  outage answers UNAVAILABLE like the rest of the bus. */
export class RedisOneUseStore implements OneUseStore {
  constructor(private readonly bus: RedisBus) {}

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.bus.call((r) => r.set(this.bus.key(redisKeys.oneUse(key)), value, "PX", ttlMs));
  }

  take(key: string): Promise<string | null> {
    return this.bus.call((r) => r.getdel(this.bus.key(redisKeys.oneUse(key))));
  }
}

/** The one-use store that fits the bus: shared through Redis, or this process's memory. */
export function createOneUse(bus: Bus, clock: Pick<Clock, "now">): OneUseStore {
  return bus instanceof RedisBus ? new RedisOneUseStore(bus) : new MemoryOneUseStore(clock);
}
