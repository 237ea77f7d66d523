import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the committed rare-character index", () => {
  it("is what scripts/build-rare-index.ts builds from the installed Unihan data", () => {
    const out = execFileSync("npx", ["tsx", "scripts/build-rare-index.ts", "--check"], { encoding: "utf8" });
    expect(out).toContain("up to date");
  });
});
