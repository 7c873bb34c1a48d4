import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import argon2 from "argon2";
import { BSON, type Document } from "mongodb";
import { owaspArgon2Params } from "../src/adapters/crypto/argon2-hasher.js";
import * as accounts from "../src/adapters/storage/mongodb/accounts.js";
import type { Collections } from "../src/adapters/storage/mongodb/collections.js";
import { INDEXES } from "../src/adapters/storage/mongodb/collections.js";
import * as devices from "../src/adapters/storage/mongodb/devices.js";
import type { OperationContext } from "../src/adapters/storage/mongodb/operation.js";
import * as outbox from "../src/adapters/storage/mongodb/outbox.js";
import * as sessions from "../src/adapters/storage/mongodb/sessions.js";
import * as tokens from "../src/adapters/storage/mongodb/tokens.js";
import { newAccountId } from "../src/core/domain/account-id.js";
import { MailSeal } from "../src/core/domain/mail-seal.js";
import { newId, newToken, TokenHasher } from "../src/core/domain/tokens.js";

/**
 * Storage capacity of the MongoDB layout, from the documents the store itself
 * writes: the real adapter functions (accounts, sessions, tokens, outbox) run
 * against collections that only record what they are asked to insert, and each
 * document's size is its BSON size. Index entries are estimated from their key
 * bytes (WiredTiger KeyString: about the key's bytes plus ~12 B of type bytes
 * and record id per entry, before prefix compression), so index figures are an
 * uncompressed upper estimate; data figures are MongoDB's `dataSize` (BSON,
 * before block compression). Needs no database: `npx tsx bench/document-sizes.ts`.
 */

/** Bytes an index entry takes beyond its key: KeyString type/end bytes plus the record id. */
const INDEX_ENTRY_OVERHEAD = 12;

/** A realistic browser user agent: sessions store it as sent. */
const USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export interface DocumentSize {
  collection: string;
  /** BSON size of the stored document. */
  bytes: number;
  /** Estimated bytes of its entries in the collection's indexes (`_id` included). */
  indexBytes: number;
}

export interface CapacityReport {
  /** What one account, one session, one token... writes, per collection. */
  records: Record<
    "account" | "session" | "verification" | "reset" | "deviceToken" | "outboxMail",
    DocumentSize[]
  >;
  perMillionAccounts: { dataBytes: number; indexBytes: number };
  perTenMillionSessions: { dataBytes: number; indexBytes: number };
  assumptions: string[];
}

/** Collections that keep what is written to them and find nothing. */
function recordingContext(): {
  op: OperationContext;
  written: Array<{ collection: string; doc: Document }>;
} {
  const written: Array<{ collection: string; doc: Document }> = [];
  const collection = (name: string) => ({
    insertOne: async (doc: Document) => {
      written.push({ collection: name, doc });
      return { acknowledged: true, insertedId: doc._id };
    },
    replaceOne: async (_filter: Document, doc: Document) => {
      written.push({ collection: name, doc });
      return { acknowledged: true, matchedCount: 0, modifiedCount: 0, upsertedCount: 1 };
    },
    findOne: async () => null,
  });
  const c = Object.fromEntries(Object.keys(INDEXES).map((name) => [name, collection(name)]));
  return { op: { c: c as unknown as Collections, with: {} } as OperationContext, written };
}

/** The value a document holds at an index's key path (top-level fields only, as every index here). */
function indexBytes(collection: string, doc: Document): number {
  const keys = [
    { _id: 1 },
    ...(INDEXES[collection as keyof typeof INDEXES] ?? []).map((i) => i.key),
  ];
  let total = 0;
  for (const key of keys) {
    const fields = Object.keys(key as Document);
    if (fields.some((f) => doc[f] === undefined)) continue; // sparse in effect: no entry
    const values = Object.fromEntries(fields.map((f) => [f, doc[f]]));
    // BSON of just the key fields, less the 5-byte document frame and each field name.
    const keyBytes =
      BSON.calculateObjectSize(values) - 5 - fields.reduce((n, f) => n + f.length + 2, 0);
    total += keyBytes + INDEX_ENTRY_OVERHEAD;
  }
  return total;
}

async function captured(
  write: (op: OperationContext) => Promise<unknown>,
): Promise<DocumentSize[]> {
  const { op, written } = recordingContext();
  await write(op);
  return written.map(({ collection, doc }) => ({
    collection,
    bytes: BSON.calculateObjectSize(doc),
    indexBytes: indexBytes(collection, doc),
  }));
}

const sum = (sizes: DocumentSize[], field: "bytes" | "indexBytes") =>
  sizes.reduce((n, s) => n + s[field], 0);

export async function measureCapacity(): Promise<CapacityReport> {
  const hasher = new TokenHasher(randomBytes(32));
  const now = new Date();
  const username = "jane.doe1984"; // 12 characters
  const email = "jane.doe1984@example.com";
  const id = newAccountId();
  const passwordHash = await argon2.hash("correct horse battery staple", {
    type: argon2.argon2id,
    memoryCost: owaspArgon2Params.memoryKiB,
    timeCost: owaspArgon2Params.timeCost,
    parallelism: owaspArgon2Params.parallelism,
  });
  const day = 86_400_000;
  const account = await captured((op) =>
    accounts.createAccount(op, {
      id,
      username,
      email,
      emailKey: email,
      verified: true,
      disabled: false,
      createdAt: now,
      credentialGeneration: 0,
      lastLoginAt: now,
      passwordHash,
    }),
  );
  const session = await captured((op) =>
    sessions.addSession(op, {
      id: newId(),
      tokenHash: hasher.hash(newToken("session")),
      accountId: id,
      username,
      createdAt: now,
      lastActiveAt: now,
      absoluteExpiresAt: new Date(now.getTime() + 30 * day),
      expiresAt: new Date(now.getTime() + 7 * day),
      ip: "2001:db8:85a3::8a2e:370:7334",
      userAgent: USER_AGENT,
    }),
  );
  const token = (kind: "verification" | "reset") =>
    captured((op) =>
      tokens.addToken(op, kind, {
        accountId: id,
        tokenHash: hasher.hash(newToken(kind)),
        expiresAt: new Date(now.getTime() + day),
        ...(kind === "verification" && { email }),
      }),
    );
  const deviceToken = await captured((op) =>
    devices.addDevice(op, {
      accountId: id,
      tokenHash: hasher.hash(newToken("device")),
      createdAt: now,
      expiresAt: new Date(now.getTime() + 180 * day),
      failures: 0,
    }),
  );
  const mailId = newId();
  const payload = new MailSeal(randomBytes(32)).seal(
    { kind: "verification", to: email, username, token: newToken("verification") },
    mailId,
  );
  const outboxMail = await captured((op) =>
    outbox.addOutboxMail(op, {
      id: mailId,
      kind: "verification",
      payload,
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 7 * day),
    }),
  );
  return {
    records: {
      account,
      session,
      verification: await token("verification"),
      reset: await token("reset"),
      deviceToken,
      outboxMail,
    },
    perMillionAccounts: {
      dataBytes: sum(account, "bytes") * 1e6,
      indexBytes: sum(account, "indexBytes") * 1e6,
    },
    perTenMillionSessions: {
      dataBytes: sum(session, "bytes") * 1e7,
      indexBytes: sum(session, "indexBytes") * 1e7,
    },
    assumptions: [
      `username ${username.length} characters, email ${email.length}, argon2id hash ${passwordHash.length} characters (OWASP parameters)`,
      `session: IPv6 address, user agent ${USER_AGENT.length} characters`,
      "data = BSON size (MongoDB dataSize, before WiredTiger block compression)",
      `index entry = key bytes + ${INDEX_ENTRY_OVERHEAD} B (uncompressed estimate; prefix compression shrinks it on disk)`,
      "rate_limits and outbox_claims are transient and not counted",
    ],
  };
}

const mb = (bytes: number) =>
  `${(bytes / 1e6).toLocaleString("en", { maximumFractionDigits: 0 })} MB`;

/** The report as Markdown tables (docs/scaling.md shows them). */
export function formatCapacity(report: CapacityReport): string {
  const lines = [
    "| record | collection | document (BSON) | index entries |",
    "|---|---|---:|---:|",
  ];
  for (const [record, sizes] of Object.entries(report.records)) {
    for (const size of sizes) {
      lines.push(`| ${record} | \`${size.collection}\` | ${size.bytes} B | ${size.indexBytes} B |`);
    }
  }
  lines.push(
    "",
    "| volume | data | indexes | total |",
    "|---|---:|---:|---:|",
    ...(
      [
        ["1 million accounts (with their claims)", report.perMillionAccounts],
        ["10 million sessions", report.perTenMillionSessions],
      ] as const
    ).map(
      ([label, v]) =>
        `| ${label} | ${mb(v.dataBytes)} | ${mb(v.indexBytes)} | ${mb(v.dataBytes + v.indexBytes)} |`,
    ),
    "",
    ...report.assumptions.map((a) => `- ${a}`),
  );
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const report = await measureCapacity();
  console.log(
    process.argv.includes("--json") ? JSON.stringify(report, null, 2) : formatCapacity(report),
  );
}
