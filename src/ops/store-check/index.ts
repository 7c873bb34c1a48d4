import type { Db } from "mongodb";
import { type CheckContext, type CheckState, RULES, type Violation } from "./rules.js";
import { readStore, type StoreView } from "./view.js";

export type { CheckState, RuleId, Violation } from "./rules.js";
export { RULES } from "./rules.js";

export interface CheckOptions {
  now?: Date;
  /** Default 60 s: the mail worker's default lease again (MAIL_LEASE). */
  leaseGraceMs?: number;
  /** The state a previous run returned (the script keeps it in its --state file). */
  previous?: CheckState | undefined;
}

export interface CheckReport {
  violations: Violation[];
  /** Records read per collection (so "zero violations" is seen to have looked at something). */
  counts: Record<string, number>;
  /** Keep this for the next run. */
  state: CheckState;
}

/** Reads a MongoDB store and reports every broken rule in RULES. */
export async function checkStore(db: Db, options: CheckOptions = {}): Promise<CheckReport> {
  const view = await readStore(db);
  return checkView(view, {
    now: options.now ?? new Date(),
    leaseGraceMs: options.leaseGraceMs ?? 60_000,
    previous: options.previous,
  });
}

export function checkView(view: StoreView, ctx: CheckContext): CheckReport {
  const violations: Violation[] = [];
  for (const rule of RULES) {
    rule.check(view, ctx, (v) => violations.push({ rule: rule.id, ...v }));
  }
  const counts: Record<string, number> = {
    accounts: view.accounts.size,
    username_claims: view.usernameClaims.size,
    email_claims: view.emailClaims.size,
    sessions: view.sessions.size,
    email_verifications: view.verifications.size,
    password_resets: view.resets.size,
    device_tokens: view.devices.size,
    outbox: view.outbox.size,
    outbox_claims: view.outboxClaims.size,
  };
  const state: CheckState = {
    at: ctx.now.toISOString(),
    generations: Object.fromEntries(
      [...view.accounts].map(([id, a]) => [id, a.credential_generation]),
    ),
    outboxAttempts: Object.fromEntries([...view.outbox].map(([id, m]) => [id, m.attempts])),
  };
  return { violations, counts, state };
}

/** One line per violation, then a total: what the script prints and the drills log. */
export function formatReport(report: CheckReport): string {
  const lines = report.violations.map(
    (v) =>
      `VIOLATION ${v.rule} ${v.collection}/${v.key}${v.accountId ? ` account=${v.accountId}` : ""}${v.detail ? ` (${v.detail})` : ""}`,
  );
  const read = Object.entries(report.counts)
    .map(([name, n]) => `${name}=${n}`)
    .join(" ");
  lines.push(`store check: ${report.violations.length} violation(s); read ${read}`);
  return lines.join("\n");
}
