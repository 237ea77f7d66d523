import { afterAll, describe, expect, it } from "vitest";

describe("a suite whose cleanup fails", () => {
  afterAll(() => {
    throw new Error("the service did not stop");
  });
  it("checks its one thing", () => expect(1).toBe(1));
});
