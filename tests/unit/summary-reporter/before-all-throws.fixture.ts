import { beforeAll, describe, expect, it } from "vitest";

describe("a suite whose setup fails", () => {
  beforeAll(() => {
    throw new Error("the service did not start");
  });
  it("would check one thing", () => expect(1).toBe(1));
  it("would check another", () => expect(2).toBe(2));
});
