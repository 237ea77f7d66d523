import { describe, expect, it } from "vitest";
import { memoByString } from "../../../server/kernel/memo";

describe("memoByString", () => {
  it("asks the function once per string, null answers included, and starts afresh past its bound", () => {
    const asked: string[] = [];
    const f = memoByString((s) => {
      asked.push(s);
      return s === "none" ? null : s.length;
    }, 3);
    expect([f("a"), f("bb"), f("a"), f("none"), f("none")]).toEqual([1, 2, 1, null, null]);
    expect(asked).toEqual(["a", "bb", "none"]);
    f("cccc"); // a fourth string: the memory is dropped, then holds only it
    expect(f("cccc")).toBe(4);
    f("a");
    expect(asked).toEqual(["a", "bb", "none", "cccc", "a"]);
  });
});
