import { describe, expect, it } from "vitest";

describe("one of each", () => {
  it("passes", () => expect(1 + 1).toBe(2));
  it("fails", () => expect(1 + 1).toBe(3));
  it.skip("is skipped", () => expect(true).toBe(true));
});
