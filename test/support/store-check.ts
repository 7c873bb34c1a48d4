import type { Db } from "mongodb";
import { expect } from "vitest";
import {
  type CheckOptions,
  type CheckReport,
  checkStore,
  formatReport,
} from "../../src/ops/store-check/index.js";

/**
 * Every drill ends here: the invariant checker over the drill's database must
 * find nothing broken. Prints the checker's report, so the test output shows
 * what was read even when it passes.
 */
export async function expectCleanStore(
  db: Db,
  label: string,
  options: CheckOptions = {},
): Promise<CheckReport> {
  const report = await checkStore(db, options);
  console.info(`[${label}] ${formatReport(report)}`);
  expect(report.violations, formatReport(report)).toEqual([]);
  return report;
}
