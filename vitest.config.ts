import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const sdkSource = (file: string) =>
  fileURLToPath(new URL(`./sdk/typescript/src/${file}`, import.meta.url));

export default defineConfig({
  // Tests exercise the SDK's source (tsconfig paths says the same for tsc and tsx).
  resolve: {
    alias: [
      { find: /^@userharbor\/sdk$/, replacement: sdkSource("index.ts") },
      { find: /^@userharbor\/sdk\/http$/, replacement: sdkSource("http/index.ts") },
      { find: /^@userharbor\/sdk\/(express|fastify)$/, replacement: sdkSource("$1.ts") },
    ],
  },
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
