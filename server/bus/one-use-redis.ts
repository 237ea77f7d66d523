import type { OneUseStore } from "./one-use";
import type { RedisBus } from "./redis";

/** One-use secrets (captcha answers, CA nonces) in Redis, through the bus: every node can take what any
 *  node put, exactly once (GETDEL), and a Redis outage answers UNAVAILABLE like the rest of the bus. */
export class BusOneUseStore implements OneUseStore {
  constructor(private readonly bus: RedisBus) {}

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.bus.call((r) => r.set(this.bus.key(key), value, "PX", ttlMs));
  }

  take(key: string): Promise<string | null> {
    return this.bus.call((r) => r.getdel(this.bus.key(key)));
  }
}
