import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../server/bus";
import type { EventSink } from "../../../server/events/sink";
import { ManualClock } from "../../../server/kernel/clock";
import { Refusal } from "../../../server/kernel/refusal";
import { DEFAULT_LIMITS } from "../../../server/limits";
import {
  failureDelayMs,
  failureHoldBack,
  type LoginLimitDeps,
  loginTryCounter,
} from "../../../server/login/limits";

// The login edges' limits (server/login/limits.ts) with the shipped defaults: per IP and per account
// over the bus, and the progressive delay of wrong answers on the hub's clock (moved by hand here).

const world = () => {
  const clock = new ManualClock();
  const hits: string[] = [];
  const events = { emit: (kind: string) => void hits.push(kind) } as unknown as EventSink;
  const d: LoginLimitDeps = { bus: new MemoryBus(), limits: DEFAULT_LIMITS, clock, events };
  return { d, clock, hits };
};

const refused = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e) => (e instanceof Refusal ? e.code : String(e)),
  );

describe("the login limits", () => {
  it("let 10 tries a minute through from one address, whatever the accounts, then refuse until the window turns", async () => {
    const { d, clock } = world();
    const count = loginTryCounter(d, "203.0.113.66");
    for (let i = 0; i < 10; i++) expect(await refused(count(`account-${i}`))).toBeNull();
    expect(await refused(count("account-x"))).toBe("RATE_LIMITED");
    // another address is not held back by this one
    expect(await refused(loginTryCounter(d, "198.51.100.7")("account-y"))).toBeNull();
    clock.advance(60_000);
    expect(await refused(count("account-z"))).toBeNull();
  });

  it("let 100 tries an hour through from one address, however they are spread over its minutes", async () => {
    const { d, clock } = world();
    const count = loginTryCounter(d, "203.0.113.66");
    clock.advance(3_600_000 - (clock.now() % 3_600_000)); // the start of an hour
    for (let m = 0; m < 10; m++) {
      for (let i = 0; i < 10; i++) expect(await refused(count(`a-${m}-${i}`))).toBeNull();
      clock.advance(60_000);
    }
    expect(await refused(count("one-more"))).toBe("RATE_LIMITED");
  });

  it("let 10 tries a minute on one account, from any number of addresses", async () => {
    const { d, hits } = world();
    for (let i = 0; i < 10; i++) expect(await refused(loginTryCounter(d, `10.0.0.${i}`)("p-1"))).toBeNull();
    expect(await refused(loginTryCounter(d, "10.0.1.1")("p-1"))).toBe("RATE_LIMITED");
    expect(hits).toContain("limit.hit");
  });

  it.each([
    [0, 250],
    [1, 500],
    [2, 1000],
    [3, 2000],
    [4, 2000],
  ])("hold a wrong answer after %i recent failures back %i ms", (failures, ms) => {
    expect(failureDelayMs(DEFAULT_LIMITS, failures)).toBe(ms);
  });

  it("wait on the hub's clock, so nothing answers before the delay is over", async () => {
    const { d, clock } = world();
    let done = false;
    const held = failureHoldBack(d)
      .call(null, 2)
      .then(() => {
        done = true;
      });
    clock.advance(999);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await held;
    expect(done).toBe(true);
  });
});
