import type { Reporter, SerializedError, TestModule, TestSuite } from "vitest/node";

// Prints one plain closing line, "N passed, N failed, N skipped", that CI reads whatever the runner.
// A failure outside any test counts too, once each: a file that cannot be collected, a suite whose
// beforeAll/afterAll threw (its tests are reported skipped), an error nobody handled during the run.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const { passed, failed, skipped } = summarize(testModules, unhandledErrors.length);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

export function summarize(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: number,
): { passed: number; failed: number; skipped: number } {
  let passed = 0;
  let failed = unhandledErrors;
  let skipped = 0;
  for (const mod of testModules) {
    for (const test of mod.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") passed++;
      else if (state === "failed") failed++;
      else skipped++;
    }
    const own: (TestModule | TestSuite)[] = [mod, ...mod.children.allSuites()];
    const erred = own.filter((s) => s.errors().length > 0).length;
    failed += erred;
    // Failed with no failed test and no error of its own to show for it: still a failure.
    if (erred === 0 && mod.state() === "failed" && [...mod.children.allTests("failed")].length === 0)
      failed++;
  }
  return { passed, failed, skipped };
}
