// The bus seam: how hub nodes tell each other things. Two implementations, picked once at start:
// memory (one node, no Redis) and Redis (any number of nodes). Messages are only "look now" hints;
// whatever they point at (a ticket, a session) is read from where it is kept, which is the truth.
export interface Bus {
  readonly kind: "memory" | "redis";
  /** Says `payload` to every node listening on `topic`. Lost if nobody listens: never the only copy. */
  publish(topic: string, payload: string): Promise<void>;
  /** Listens on `topic` until the returned function is called. */
  subscribe(topic: string, fn: (payload: string) => void): Promise<() => void>;
  /** Counts one more hit on `key` in the fixed window of `windowMs` that holds `now`; returns the count. */
  hit(key: string, windowMs: number, now: number): Promise<number>;
  /** Runs `fn` whenever the bus is back after an outage: hints sent meanwhile are gone, so look again. */
  onRecover(fn: () => void): void;
  close(): Promise<void>;
}

/** The bus (Redis) cannot be reached right now. Callers answer UNAVAILABLE (retryable); nothing crashes. */
export class BusUnavailable extends Error {
  constructor(cause?: unknown) {
    super("bus unavailable", { cause });
    this.name = "BusUnavailable";
  }
}

/** The window a hit falls in, so the counter key changes when the window does. */
export function windowIndex(now: number, windowMs: number): number {
  return Math.floor(now / windowMs);
}
