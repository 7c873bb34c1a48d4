import type { MailSeal } from "./domain/mail-seal.js";
import type { SessionAssertions } from "./domain/session-assertions.js";
import type { TokenHasher } from "./domain/tokens.js";
import type { Limits } from "./limits.js";
import type { AuditLog } from "./ports/audit-log.js";
import type { Clock } from "./ports/clock.js";
import type { PasswordHasher } from "./ports/password-hasher.js";
import type { Store } from "./ports/store.js";
import type { AccountSettings } from "./settings.js";

/** Everything a flow may touch: ports in, nothing out. Built once by the composition root. */
export interface AccountContext {
  store: Store;
  hasher: PasswordHasher;
  clock: Clock;
  tokens: TokenHasher;
  seal: MailSeal;
  /** Signs session assertions and publishes their key set. */
  assertions: SessionAssertions;
  settings: AccountSettings;
  audit: AuditLog;
  /** Budgets and locks (limits.ts), counted in the store on this context's clock. */
  limits: Limits;
  /** Called after a transaction that queued mail commits, to wake the delivery worker. */
  mailQueued: () => void;
}

/** The end user a backend acts for. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
  /** A device token (`uhd_`) from an earlier Login; only Login reads it. */
  deviceToken?: string | undefined;
}
