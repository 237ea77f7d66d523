// Every Redis key and channel name of the hub, built here only (each under REDIS_PREFIX, added by
// RedisBus.key). On a Redis Cluster a script may touch only keys of one hash slot: whatever one
// ticket's scripts touch carries the ticket's id as a hash tag (`{id}`), so it all lives on one shard.

/** The hash tag that puts every key of one ticket in one slot. */
const tag = (id: string) => `{${id}}`;

export const redisKeys = {
  /** A QR ticket: hash {rev, data} with a TTL (qr/store.ts). Keys of one ticket share `{id}`. */
  ticket: (id: string) => `qr:t:${tag(id)}`,
  /** One fixed-window counter of the rate limiter (bus/limiter.ts); one key per script call. */
  hits: (key: string, window: number) => `rl:${key}:${window}`,
  /** A take-once secret: captcha answers, CA nonces (bus/one-use.ts); one key per command. */
  oneUse: (key: string) => key,
  /** The capped event stream every node appends to and reads (events/stream.ts). */
  events: () => "events",
  /** A pub/sub topic; sharded (one shard per channel) on a cluster. */
  channel: (topic: string) => `bus:${topic}`,
} as const;
