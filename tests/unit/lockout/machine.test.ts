import { describe, expect, it } from "vitest";
import {
  inspectLockout,
  LOCK_MS,
  type LockoutDecision,
  type LockoutEvent,
  type LockoutState,
  lockNow,
  MAX_FAILURES,
  minutesLeft,
  reserveTry,
  stepLockout,
  UNLOCKED,
} from "../../../server/lockout/machine";
import { at, MIN, T0 } from "../../support/time";

const t0 = T0;

/** The decision for the lock that began at t0, with this many minutes left. */
const lockedAt = (minutesLeft: number, justLocked: boolean) => ({
  kind: "locked",
  justLocked,
  lockedUntil: at(LOCK_MS),
  minutesLeft,
});

/** Run events from UNLOCKED, all at t0 unless a time is given. */
function run(events: (LockoutEvent | [LockoutEvent, Date])[]): {
  state: LockoutState;
  decision: LockoutDecision;
} {
  let state = UNLOCKED;
  let decision: LockoutDecision = { kind: "open", captchaRequired: false, attemptsLeft: MAX_FAILURES };
  for (const e of events) {
    const [event, now] = typeof e === "string" ? [e, t0] : e;
    ({ state, decision } = stepLockout(state, event, now));
  }
  return { state, decision };
}

const fails = (n: number): LockoutEvent[] => Array.from({ length: n }, () => "failure");

describe("lockout machine (seed 1.1 and 1.3.1)", () => {
  it.each([
    [1, { kind: "wrong", captchaRequired: true, attemptsLeft: 4 }],
    [2, { kind: "wrong", captchaRequired: true, attemptsLeft: 3 }],
    [3, { kind: "wrong", captchaRequired: true, attemptsLeft: 2 }],
    [4, { kind: "wrong", captchaRequired: true, attemptsLeft: 1 }],
  ])("after %i wrong passwords asks for a captcha and tells the tries left", (n, expected) => {
    expect(run(fails(n)).decision).toEqual(expected);
  });

  it("locks for 120 minutes at the 5th wrong password, the 5th included", () => {
    const { state, decision } = run(fails(5));
    expect(state).toEqual({ failures: 5, lockedUntil: at(LOCK_MS) });
    expect(decision).toEqual(lockedAt(120, true));
  });

  it("refuses a locked subject even with the right password, without lifting the lock", () => {
    const { state, decision } = run([...fails(5), ["success", at(30 * MIN)]]);
    expect(state.lockedUntil).toEqual(at(LOCK_MS));
    expect(decision).toEqual(lockedAt(90, false));
  });

  it("does not extend the lock when more wrong passwords arrive while locked", () => {
    const { state, decision } = run([...fails(5), ["failure", at(60 * MIN)]]);
    expect(state).toEqual({ failures: 5, lockedUntil: at(LOCK_MS) });
    expect(decision).toMatchObject({ kind: "locked", justLocked: false, minutesLeft: 60 });
  });

  it.each([
    [
      "119:59",
      LOCK_MS - 1_000,
      { kind: "locked", justLocked: false, lockedUntil: at(LOCK_MS), minutesLeft: 1 },
    ],
    ["120:00", LOCK_MS, { kind: "open", captchaRequired: false, attemptsLeft: 5 }],
  ])("at %s after the 5th wrong password the lock has (not) lapsed", (_label, elapsed, expected) => {
    const locked = run(fails(5)).state;
    expect(inspectLockout(locked, at(elapsed)).decision).toEqual(expected);
  });

  it("starts counting afresh after the lock lapsed", () => {
    const { state, decision } = run([...fails(5), ["failure", at(LOCK_MS)]]);
    expect(state).toEqual({ failures: 1, lockedUntil: null });
    expect(decision).toEqual({ kind: "wrong", captchaRequired: true, attemptsLeft: 4 });
  });

  it("resets the count on a right password", () => {
    const { state, decision } = run([...fails(4), "success"]);
    expect(state).toEqual(UNLOCKED);
    expect(decision).toEqual({ kind: "open", captchaRequired: false, attemptsLeft: 5 });
    expect(run([...fails(4), "success", "failure"]).decision).toMatchObject({ attemptsLeft: 4 });
  });

  it("lifts a lock at once on a reset (忘记密码, 重置申报密码)", () => {
    const { state, decision } = run([...fails(5), ["reset", at(MIN)]]);
    expect(state).toEqual(UNLOCKED);
    expect(decision).toEqual({ kind: "open", captchaRequired: false, attemptsLeft: 5 });
  });

  it.each([
    [0, { kind: "open", captchaRequired: false, attemptsLeft: 5 }],
    [1, { kind: "open", captchaRequired: true, attemptsLeft: 4 }],
    [4, { kind: "open", captchaRequired: true, attemptsLeft: 1 }],
  ])("before a try with %i failures counted, says whether a captcha is needed", (n, expected) => {
    expect(inspectLockout(run(fails(n)).state, t0).decision).toEqual(expected);
  });

  it.each([
    [LOCK_MS, 120],
    [60_001, 2],
    [60_000, 1],
    [1, 1],
    [0, 0],
  ])("rounds %i ms left up to %i minutes", (ms, minutes) => {
    expect(minutesLeft(at(ms), t0)).toBe(minutes);
  });
});

describe("reserving a try before the password is verified", () => {
  it.each([
    ["the first try, no captcha", UNLOCKED, false, { kind: "wrong", captchaRequired: true, attemptsLeft: 4 }],
    [
      "after a wrong one, no captcha",
      { failures: 1, lockedUntil: null },
      false,
      { kind: "captcha_required", captchaRequired: true, attemptsLeft: 4 },
    ],
    [
      "after a wrong one, captcha solved",
      { failures: 1, lockedUntil: null },
      true,
      { kind: "wrong", captchaRequired: true, attemptsLeft: 3 },
    ],
    [
      "locked, no captcha",
      { failures: 5, lockedUntil: at(LOCK_MS) },
      false,
      { kind: "locked", justLocked: false, lockedUntil: at(LOCK_MS), minutesLeft: 120 },
    ],
    [
      "lock lapsed, no captcha",
      { failures: 5, lockedUntil: t0 },
      false,
      { kind: "wrong", captchaRequired: true, attemptsLeft: 4 },
    ],
  ] as const)("%s", (_label, state, captchaSolved, expected) => {
    expect(reserveTry(state, t0, captchaSolved).decision).toEqual(expected);
  });

  it("counts nothing when it asks for a captcha", () => {
    const state = { failures: 2, lockedUntil: null };
    expect(reserveTry(state, t0, false).state).toEqual(state);
  });
});

describe("lockNow (people with no link locked the company)", () => {
  it("locks an open subject for 120 minutes, as a 5th wrong password would", () => {
    expect(lockNow({ failures: 1, lockedUntil: null }, t0)).toEqual({
      state: { failures: MAX_FAILURES, lockedUntil: at(LOCK_MS) },
      decision: lockedAt(120, true),
    });
  });

  it("keeps a running lock as it is, and locks afresh once one has lapsed", () => {
    const running = { failures: MAX_FAILURES, lockedUntil: at(LOCK_MS) };
    expect(lockNow(running, at(30 * MIN)).state).toEqual(running);
    expect(lockNow(running, at(30 * MIN)).decision).toMatchObject({ justLocked: false, minutesLeft: 90 });
    expect(lockNow(running, at(LOCK_MS)).decision).toMatchObject({ justLocked: true, minutesLeft: 120 });
  });
});
