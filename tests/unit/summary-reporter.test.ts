import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// The closing "N passed, N failed, N skipped" line of tests/support/summary-reporter.ts, read off a
// child vitest run over the tiny project in ./summary-reporter (one fixture file per outcome).

const FIXTURES = fileURLToPath(new URL("./summary-reporter/", import.meta.url));
const VITEST = fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url));

async function closingLine(filter: string): Promise<string> {
  const out = await promisify(execFile)(process.execPath, [VITEST, "run", filter], {
    cwd: FIXTURES,
    env: { ...process.env, CI: "true", NO_COLOR: "1" },
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }));
  return out.stdout.trim().split("\n").at(-1) ?? "";
}

describe("the summary reporter's closing line", () => {
  it.each([
    ["a passing, a failing and a skipped test", "mixed", "1 passed, 1 failed, 1 skipped"],
    ["a suite whose beforeAll throws", "before-all-throws", "0 passed, 1 failed, 2 skipped"],
    ["a suite whose afterAll throws", "after-all-throws", "1 passed, 1 failed, 0 skipped"],
    ["a file that cannot be collected", "import-fails", "0 passed, 1 failed, 0 skipped"],
    ["an error thrown after a passing test", "unhandled", "1 passed, 1 failed, 0 skipped"],
  ])("counts %s", { timeout: 60_000 }, async (_what, filter, line) => {
    expect(await closingLine(filter)).toBe(line);
  });
});
