import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.spec.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start real servers and databases; two workers match the two cores CI has.
    maxWorkers: 2,
    // CI asks for a JSON report too, to print one summary line across all suites.
    reporters: process.env.UH_TEST_REPORT ? ["default", "json"] : ["default"],
    outputFile: process.env.UH_TEST_REPORT ? { json: process.env.UH_TEST_REPORT } : {},
  },
});
