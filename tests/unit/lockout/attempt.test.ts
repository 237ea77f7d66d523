import { describe, expect, it } from "vitest";
import { guardedAttempt } from "../../../server/lockout/attempt";
import { LOCK_MS } from "../../../server/lockout/machine";
import { MemoryLockoutStore } from "../../../server/lockout/store";

const now = new Date("2024-03-01T08:00:00.000Z");
const SOLVED = true;
const NO_CAPTCHA = false;

function counter(right: boolean) {
  const calls = { n: 0 };
  const verify = async () => {
    calls.n++;
    return right;
  };
  return { calls, verify };
}

describe("a guarded password try", () => {
  it("lets a right password in and clears earlier failures", async () => {
    const store = new MemoryLockoutStore();
    const wrong = counter(false);
    for (let i = 0; i < 3; i++) await guardedAttempt(store, "password", "p1", now, SOLVED, wrong.verify);
    expect(await store.check("password", "p1", now)).toMatchObject({
      captchaRequired: true,
      attemptsLeft: 2,
    });

    expect(await guardedAttempt(store, "password", "p1", now, SOLVED, counter(true).verify)).toEqual({
      ok: true,
    });
    expect(await store.check("password", "p1", now)).toEqual({
      kind: "open",
      captchaRequired: false,
      attemptsLeft: 5,
    });
  });

  it("needs no captcha for the first try", async () => {
    const store = new MemoryLockoutStore();
    expect(await guardedAttempt(store, "password", "p1", now, NO_CAPTCHA, counter(true).verify)).toEqual({
      ok: true,
    });
  });

  it("refuses, uncounted and unverified, a try without a captcha after a wrong password", async () => {
    const store = new MemoryLockoutStore();
    await guardedAttempt(store, "password", "p1", now, NO_CAPTCHA, counter(false).verify);
    const right = counter(true);
    expect(await guardedAttempt(store, "password", "p1", now, NO_CAPTCHA, right.verify)).toEqual({
      ok: false,
      decision: { kind: "captcha_required", captchaRequired: true, attemptsLeft: 4 },
    });
    expect(right.calls.n).toBe(0);
    expect(await store.check("password", "p1", now)).toMatchObject({ attemptsLeft: 4 });
    expect(await guardedAttempt(store, "password", "p1", now, SOLVED, right.verify)).toEqual({ ok: true });
  });

  it("verifies the 5th wrong password, then refuses every later one without verifying", async () => {
    const store = new MemoryLockoutStore();
    const wrong = counter(false);
    const results = [];
    for (let i = 0; i < 7; i++)
      results.push(await guardedAttempt(store, "password", "p1", now, SOLVED, wrong.verify));
    expect(wrong.calls.n).toBe(5);
    expect(results[3]).toEqual({
      ok: false,
      decision: { kind: "wrong", captchaRequired: true, attemptsLeft: 1 },
    });
    expect(results[4]).toMatchObject({ ok: false, decision: { kind: "locked", justLocked: true } });
    expect(results[6]).toMatchObject({
      ok: false,
      decision: { kind: "locked", justLocked: false, minutesLeft: 120 },
    });

    const right = counter(true);
    expect(await guardedAttempt(store, "password", "p1", now, SOLVED, right.verify)).toMatchObject({
      ok: false,
    });
    expect(right.calls.n).toBe(0);
    const later = new Date(now.getTime() + LOCK_MS);
    expect(await guardedAttempt(store, "password", "p1", later, NO_CAPTCHA, right.verify)).toEqual({
      ok: true,
    });
  });

  it("tells a locked subject it is locked, not that a captcha is due", async () => {
    const store = new MemoryLockoutStore();
    for (let i = 0; i < 5; i++)
      await guardedAttempt(store, "password", "p1", now, SOLVED, counter(false).verify);
    expect(
      await guardedAttempt(store, "password", "p1", now, NO_CAPTCHA, counter(true).verify),
    ).toMatchObject({
      ok: false,
      decision: { kind: "locked" },
    });
  });

  it("lets a right 5th password in after four wrong ones", async () => {
    const store = new MemoryLockoutStore();
    for (let i = 0; i < 4; i++)
      await guardedAttempt(store, "declaration", "c1", now, SOLVED, counter(false).verify);
    expect(await guardedAttempt(store, "declaration", "c1", now, SOLVED, counter(true).verify)).toEqual({
      ok: true,
    });
    expect(await store.check("declaration", "c1", now)).toMatchObject({ kind: "open", attemptsLeft: 5 });
  });

  it("keeps a try counted when verifying throws (fail closed)", async () => {
    const store = new MemoryLockoutStore();
    await expect(
      guardedAttempt(store, "password", "p1", now, SOLVED, async () => {
        throw new Error("hasher down");
      }),
    ).rejects.toThrow("hasher down");
    expect(await store.check("password", "p1", now)).toMatchObject({ attemptsLeft: 4 });
  });

  it("keeps the handler's password and a company's declaration password apart", async () => {
    const store = new MemoryLockoutStore();
    for (let i = 0; i < 5; i++)
      await guardedAttempt(store, "password", "x", now, SOLVED, counter(false).verify);
    expect(await store.check("declaration", "x", now)).toMatchObject({ kind: "open", attemptsLeft: 5 });
  });
});
