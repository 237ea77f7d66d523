import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../extension/core/backoff";

const opts = { minMs: 500, maxMs: 20_000 };

describe("reconnect backoff (full jitter)", () => {
  it.each([
    // attempt, random, delay
    [0, 0, 0],
    [0, 0.5, 250],
    [0, 0.999, 499],
    [1, 0.5, 500],
    [2, 0.5, 1000],
    [3, 1, 3999],
    [5, 0.5, 8000],
    [6, 0.5, 10_000], // capped: 500·2^6 = 32 000 > 20 000
    [50, 0.5, 10_000],
    [1000, 0.999, 19_980],
  ])("waits %#: attempt %i with random %f → %i ms", (attempt, random, delay) => {
    expect(backoffDelay(attempt, random, opts)).toBe(delay);
  });

  it("never waits longer than the cap, whatever the attempt", () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      expect(backoffDelay(attempt, 0.999_999_9, opts)).toBeLessThan(opts.maxMs);
    }
  });

  it("treats a random value out of [0, 1) as its nearest end", () => {
    expect(backoffDelay(0, -1, opts)).toBe(0);
    expect(backoffDelay(0, 2, opts)).toBe(499);
  });
});
