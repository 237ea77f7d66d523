import type { Logger } from "pino";
import type { Config } from "../config";
import type { Bus } from "./bus";
import { MemoryBus } from "./memory";
import { RedisBus } from "./redis";

export { type Bus, BusUnavailable } from "./bus";
export { MemoryBus } from "./memory";
export { RedisBus } from "./redis";

/** Redis when REDIS_URL is set, otherwise one node in-process. */
export async function createBus(config: Config, log: Logger): Promise<Bus> {
  if (!config.redisUrl) return new MemoryBus();
  const bus = new RedisBus(config.redisUrl, config.redisPrefix, log);
  if (!(await bus.ready(5000)))
    log.warn("redis not reachable yet; starting anyway, answering UNAVAILABLE until it is");
  return bus;
}
