import type { Logger } from "pino";
import type { Config } from "../config";
import type { Bus } from "./bus";
import { MemoryBus } from "./memory";
import { RedisBus } from "./redis";

export { type Bus, BusUnavailable } from "./bus";
export { MemoryBus } from "./memory";
export { RedisBus } from "./redis";

/**
 * Redis when REDIS_URL is set, otherwise one node in-process. Resolves only once Redis answers: a
 * node takes no traffic before its bus is ready (its HTTP server answers 503 meanwhile), so no
 * first request is refused UNAVAILABLE because the node was still connecting. `signal` gives up the wait.
 */
export async function createBus(config: Config, log: Logger, signal?: AbortSignal): Promise<Bus> {
  if (!config.redisUrl) return new MemoryBus();
  const bus = new RedisBus(config.redisUrl, config.redisPrefix, log);
  while (!(await bus.ready(5000, signal))) {
    if (signal?.aborted) {
      await bus.close(); // stopped while waiting (SIGTERM during start): nothing left connecting
      throw signal.reason ?? new Error("aborted");
    }
    log.warn("redis not reachable yet; taking no traffic until it is");
  }
  return bus;
}
