import { type Bus, windowIndex } from "./bus";

// Every rate limit of the hub is this one decision over the bus's fixed-window counter: in memory for
// one node, in Redis (INCR + PEXPIRE in one script) for many, so a limit holds across nodes.

export interface Window {
  /** Hits allowed per window. */
  max: number;
  windowMs: number;
}

/** Counts one hit on `key`; null while within the limit, else the seconds until the window turns. */
export async function overLimit(bus: Bus, key: string, w: Window, now: number): Promise<number | null> {
  const n = await bus.hit(key, w.windowMs, now);
  if (n <= w.max) return null;
  return Math.max(1, Math.ceil(((windowIndex(now, w.windowMs) + 1) * w.windowMs - now) / 1000));
}

/** A window with the key it counts on. */
export interface Limit extends Window {
  key: string;
}

/** Counts one hit on the limit's key; true past it. */
export async function pastLimit(bus: Bus, limit: Limit, now: number): Promise<boolean> {
  return (await overLimit(bus, limit.key, limit, now)) !== null;
}
