import { defineConfig } from "vitest/config";

// A tiny project of its own that tests/unit/summary-reporter.test.ts runs in a child vitest, to read the
// closing line the summary reporter prints for each kind of outcome.
export default defineConfig({
  test: {
    include: ["*.fixture.ts"],
    reporters: ["../../support/summary-reporter.ts"],
  },
});
