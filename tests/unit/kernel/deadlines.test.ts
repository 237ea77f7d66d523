import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../server/kernel/clock";
import { Deadlines } from "../../../server/kernel/deadlines";

describe("Deadlines: many deadlines on one timer", () => {
  it("fires each key once its instant has come, earliest first, equal instants in the order added", () => {
    const clock = new ManualClock(1_000);
    const fired: [string, number, number][] = [];
    const d = new Deadlines<string>(clock, (key, at) => fired.push([key, at, clock.now()]));
    d.add(1_500, "b");
    d.add(1_200, "a");
    d.add(1_500, "c");
    d.add(3_000, "d");
    clock.advance(499);
    expect(fired).toEqual([["a", 1_200, 1_200]]);
    clock.advance(1);
    expect(fired.map((f) => f[0])).toEqual(["a", "b", "c"]);
    expect(d.size).toBe(1);
    clock.advance(10_000);
    expect(fired.map((f) => f[0])).toEqual(["a", "b", "c", "d"]);
    expect(d.size).toBe(0);
  });

  it("an entry added from a callback, or earlier than the armed one, still fires on time", () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const d = new Deadlines<string>(clock, (key, at) => {
      fired.push(`${key}@${clock.now()}`);
      if (key === "tick" && at < 300) d.add(at + 100, "tick");
    });
    d.add(100, "tick");
    d.add(1_000, "late");
    d.add(50, "early"); // before the armed instant: the timer moves
    clock.advance(2_000);
    expect(fired).toEqual(["early@50", "tick@100", "tick@200", "tick@300", "late@1000"]);
  });

  it("after stop nothing fires, whatever is added", () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const d = new Deadlines<string>(clock, (key) => fired.push(key));
    d.add(10, "a");
    d.stop();
    d.add(5, "b");
    clock.advance(100);
    expect(fired).toEqual([]);
  });

  it("fires any set of instants in (instant, order added) order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (instants) => {
        const clock = new ManualClock(0);
        const fired: number[] = [];
        const d = new Deadlines<number>(clock, (i) => fired.push(i));
        for (const [i, at] of instants.entries()) d.add(at, i);
        clock.advance(100);
        const expected = instants.map((at, i) => ({ at, i })).sort((a, b) => a.at - b.at || a.i - b.i);
        expect(fired).toEqual(expected.map((e) => e.i));
      }),
    );
  });
});
