import type { Logger } from "pino";
import type { Bus } from "../bus";
import { RedisBus } from "../bus/redis";
import type { Clock } from "../kernel/clock";
import { type EventStream, MemoryEventStream, RedisEventStream } from "./stream";

export { EventConsole } from "./console";
export type { EventStream } from "./stream";

/** Redis Streams when the bus is Redis (shared by every node), otherwise a ring on this node. */
export async function createEventStream(
  bus: Bus,
  o: { nodeId: string; clock: Clock; log: Logger; production: boolean },
): Promise<EventStream> {
  const options = { nodeId: o.nodeId, clock: o.clock, log: o.log, strict: !o.production };
  if (!(bus instanceof RedisBus)) return new MemoryEventStream(options);
  return new RedisEventStream(options, bus); // it reads the stream only while someone watches
}
