// Reconnect delays: exponential with full jitter, so many clients dropped by one hub restart
// do not all come back in the same instant (AWS "Exponential Backoff And Jitter").
export interface BackoffOptions {
  /** The cap of the first retry. */
  minMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { minMs: 500, maxMs: 20_000 };

/** Delay before retry number `attempt` (0-based): uniform in [0, min(max, min·2^attempt)). */
export function backoffDelay(
  attempt: number,
  random: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const cap = Math.min(opts.maxMs, opts.minMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(Math.min(Math.max(random, 0), 0.999_999) * cap);
}
