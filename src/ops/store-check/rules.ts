import type { Document } from "mongodb";
import { type CollectionName, INDEXES } from "../../adapters/storage/mongodb/collections.js";
import type { StoreView } from "./view.js";

/** One broken rule on one record. Keys are ids, claim keys or token hashes: never a secret. */
export interface Violation {
  rule: RuleId;
  collection: string;
  key: string;
  accountId?: string;
  detail?: string;
}

/** What the checker remembers between runs (`--state` file): enough to see a value move backwards. */
export interface CheckState {
  at: string;
  /** credential_generation per account id. */
  generations: Record<string, number>;
  /** attempts per outbox mail id. */
  outboxAttempts: Record<string, number>;
}

export interface CheckContext {
  now: Date;
  /** A worker whose lease lapsed more than this long ago is dead (it would have renewed or settled). */
  leaseGraceMs: number;
  /** The previous run's state, if any: generations must not go back, stuck leases must not move. */
  previous: CheckState | undefined;
}

export interface Rule {
  id: RuleId;
  /** The promise, in one line (printed by the script and the docs). */
  promise: string;
  check(view: StoreView, ctx: CheckContext, flag: (v: Omit<Violation, "rule">) => void): void;
}

export type RuleId =
  | "account-record"
  | "account-username-claim"
  | "account-email-claim"
  | "username-claim-orphan"
  | "email-claim-orphan"
  | "orphan-session"
  | "orphan-verification"
  | "orphan-reset"
  | "orphan-device"
  | "session-times"
  | "session-username"
  | "verification-of-verified-address"
  | "missing-expiry"
  | "missing-index"
  | "outbox-dead-lease"
  | "outbox-payload"
  | "generation-backwards";

const isDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(+value);

const ownedRecords = [
  ["orphan-session", "sessions", (v: StoreView) => v.sessions],
  ["orphan-verification", "email_verifications", (v: StoreView) => v.verifications],
  ["orphan-reset", "password_resets", (v: StoreView) => v.resets],
  ["orphan-device", "device_tokens", (v: StoreView) => v.devices],
] as const;

/** Collections with a TTL index on `expires_at`: every record must carry a date there. */
const EXPIRING = [
  ["sessions", (v: StoreView) => v.sessions],
  ["email_verifications", (v: StoreView) => v.verifications],
  ["password_resets", (v: StoreView) => v.resets],
  ["device_tokens", (v: StoreView) => v.devices],
  ["outbox", (v: StoreView) => v.outbox],
  ["outbox_claims", (v: StoreView) => v.outboxClaims],
] as const;

/** Same key (fields and order), TTL and uniqueness: what createIndexes would treat as the same index. */
function sameIndex(found: Document, wanted: Document): boolean {
  return (
    JSON.stringify(found.key) === JSON.stringify(wanted.key) &&
    (found.expireAfterSeconds ?? null) === (wanted.expireAfterSeconds ?? null) &&
    Boolean(found.unique) === Boolean(wanted.unique)
  );
}

/**
 * Every rule the MongoDB store promises (collections.ts, indexes.ts, the flows'
 * transactions). A new collection's rule is one entry here, its records read
 * by a typed reader in view.ts.
 */
export const RULES: readonly Rule[] = [
  {
    id: "account-record",
    promise:
      "an account has an argon2id hash, email_key = lower-cased email, a whole credential_generation >= 0",
    check(v, _ctx, flag) {
      for (const [id, a] of v.accounts) {
        const problems = [
          !/^\$argon2id\$/.test(a.password_hash ?? "") && "password_hash",
          a.email_key !== a.email?.toLowerCase() && "email_key",
          !(Number.isInteger(a.credential_generation) && a.credential_generation >= 0) &&
            "credential_generation",
          !isDate(a.created_at) && "created_at",
        ].filter(Boolean);
        if (problems.length)
          flag({ collection: "accounts", key: id, accountId: id, detail: problems.join(",") });
      }
    },
  },
  {
    id: "account-username-claim",
    promise: "every account's username has a claim naming that account",
    check(v, _ctx, flag) {
      for (const [id, a] of v.accounts) {
        if (v.usernameClaims.get(a.username)?.account_id !== id) {
          flag({
            collection: "accounts",
            key: id,
            accountId: id,
            detail: `username claim ${a.username}`,
          });
        }
      }
    },
  },
  {
    id: "account-email-claim",
    promise: "every account's email key has a claim naming that account",
    check(v, _ctx, flag) {
      for (const [id, a] of v.accounts) {
        if (v.emailClaims.get(a.email_key)?.account_id !== id) {
          flag({ collection: "accounts", key: id, accountId: id, detail: "email claim" });
        }
      }
    },
  },
  {
    id: "username-claim-orphan",
    promise: "every username claim names an account that has that username",
    check(v, _ctx, flag) {
      for (const [key, claim] of v.usernameClaims) {
        if (v.accounts.get(claim.account_id)?.username !== key) {
          flag({ collection: "username_claims", key, accountId: claim.account_id });
        }
      }
    },
  },
  {
    id: "email-claim-orphan",
    promise: "every email claim names an account that has that email key",
    check(v, _ctx, flag) {
      for (const [key, claim] of v.emailClaims) {
        if (v.accounts.get(claim.account_id)?.email_key !== key) {
          flag({ collection: "email_claims", key: "(email key)", accountId: claim.account_id });
        }
      }
    },
  },
  ...ownedRecords.map(
    ([id, collection, records]): Rule => ({
      id,
      promise: `every ${collection} record names an existing account`,
      check(v, _ctx, flag) {
        for (const [key, doc] of records(v)) {
          if (!v.accounts.has(doc.account_id)) flag({ collection, key, accountId: doc.account_id });
        }
      },
    }),
  ),
  {
    id: "session-times",
    promise: "a session's created_at <= last_active_at and expires_at <= absolute_expires_at",
    check(v, _ctx, flag) {
      for (const [key, s] of v.sessions) {
        const ok =
          isDate(s.created_at) &&
          isDate(s.last_active_at) &&
          isDate(s.absolute_expires_at) &&
          isDate(s.expires_at) &&
          s.created_at <= s.last_active_at &&
          s.expires_at <= s.absolute_expires_at;
        if (!ok) flag({ collection: "sessions", key, accountId: s.account_id });
      }
    },
  },
  {
    id: "session-username",
    promise: "a session's username (when kept) is its account's (usernames never change)",
    check(v, _ctx, flag) {
      for (const [key, s] of v.sessions) {
        const account = v.accounts.get(s.account_id);
        if (account && s.username !== undefined && s.username !== account.username) {
          flag({ collection: "sessions", key, accountId: s.account_id });
        }
      }
    },
  },
  {
    id: "verification-of-verified-address",
    promise: "no verification token proves the address a verified account already has",
    check(v, _ctx, flag) {
      for (const [key, t] of v.verifications) {
        const account = v.accounts.get(t.account_id);
        const proves = t.email === undefined ? account?.email_key : t.email.toLowerCase();
        if (account?.verified && proves === account.email_key) {
          flag({ collection: "email_verifications", key, accountId: t.account_id });
        }
      }
    },
  },
  {
    id: "missing-expiry",
    promise: "every record of a TTL'd collection has a date in expires_at (else it never expires)",
    check(v, _ctx, flag) {
      for (const [collection, records] of EXPIRING) {
        for (const [key, doc] of records(v)) {
          if (!isDate(doc.expires_at)) flag({ collection, key });
        }
      }
    },
  },
  {
    id: "missing-index",
    promise: "every index start-up creates (TTL indexes included) is in place with its options",
    check(v, _ctx, flag) {
      for (const [name, wanted] of Object.entries(INDEXES) as [
        CollectionName,
        readonly Document[],
      ][]) {
        const found = v.indexes.get(name) ?? [];
        for (const spec of wanted) {
          if (!found.some((index) => sameIndex(index, spec))) {
            flag({ collection: name, key: JSON.stringify(spec.key), detail: JSON.stringify(spec) });
          }
        }
      }
    },
  },
  {
    id: "outbox-dead-lease",
    promise:
      "no pending mail is held by a dead worker: a lease lapsed over the grace ago (and, given a previous run, attempts unchanged since)",
    check(v, ctx, flag) {
      const cutoff = ctx.now.getTime() - ctx.leaseGraceMs;
      for (const [key, claim] of v.outboxClaims) {
        const mail = v.outbox.get(key);
        if (!mail || mail.dead_lettered || !isDate(claim.lease_until)) continue;
        if (claim.lease_until.getTime() >= cutoff) continue;
        const before = ctx.previous?.outboxAttempts[key];
        if (before !== undefined && before !== mail.attempts) continue; // someone is working it
        flag({
          collection: "outbox_claims",
          key,
          detail: `lease lapsed ${claim.lease_until.toISOString()}`,
        });
      }
    },
  },
  {
    id: "outbox-payload",
    promise:
      "pending mail carries its sealed payload; dead-lettered mail does not (the token inside goes)",
    check(v, _ctx, flag) {
      for (const [key, mail] of v.outbox) {
        const sealed = mail.payload !== undefined && mail.payload !== null;
        if (sealed === mail.dead_lettered)
          flag({
            collection: "outbox",
            key,
            detail: mail.dead_lettered ? "dead-lettered with payload" : "pending without payload",
          });
      }
    },
  },
  {
    id: "generation-backwards",
    promise:
      "an account's credential_generation never decreases (compared with the previous run's state)",
    check(v, ctx, flag) {
      if (!ctx.previous) return;
      for (const [id, a] of v.accounts) {
        const before = ctx.previous.generations[id];
        if (before !== undefined && a.credential_generation < before) {
          flag({
            collection: "accounts",
            key: id,
            accountId: id,
            detail: `${before} -> ${a.credential_generation}`,
          });
        }
      }
    },
  },
];
