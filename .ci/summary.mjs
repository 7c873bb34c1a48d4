// Prints one line for every suite CI ran: "N passed, N failed, N skipped".
// Reads vitest JSON reports (and any other JSON report with the same counters) from the given files.
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
// Names what failed, so the tail of a CI log says which test to look at.
const lines = [];
const firstLine = (messages) =>
  String(messages?.[0] ?? "")
    .split("\n")[0]
    .slice(0, 300);
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    missing++;
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load, or whose beforeAll failed (its tests then count as
  // skipped), has no failed test to count: count it as one failure.
  for (const suite of report.testResults ?? []) {
    const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of failedTests)
      lines.push(`FAILED ${file}: ${suite.name} > ${t.fullName}: ${firstLine(t.failureMessages)}`);
    if (suite.status === "failed" && failedTests.length === 0) {
      failed++;
      lines.push(`FAILED ${file}: ${suite.name} (suite or hook): ${firstLine([suite.message])}`);
    }
  }
}
// A report that never got written means its step crashed: that is a failure too.
failed += missing;
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
