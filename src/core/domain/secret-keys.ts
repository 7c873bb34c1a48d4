import { hkdfSync } from "node:crypto";

/**
 * One configured secret, independent subkeys per purpose (HKDF-SHA256): a
 * token hash never doubles as an encryption key, and adding a purpose later
 * changes no existing key.
 */
export interface SecretKeys {
  tokenHashing: Buffer;
  mailSealing: Buffer;
  /** Keys rate-limit and lockout counters: the store holds HMACs of names and IPs, never them. */
  limitKeying: Buffer;
  /** Signs ListAccounts page tokens, so a caller can neither forge nor alter one. */
  pageTokens: Buffer;
  /** Root of the per-period Ed25519 keys that sign session assertions (session-keys.ts). */
  sessionKeys: Buffer;
}

export function deriveSecretKeys(secret: string): SecretKeys {
  const ikm = Buffer.from(secret, "utf8");
  const derive = (info: string) =>
    Buffer.from(hkdfSync("sha256", ikm, "userharbor", `userharbor/${info}/v1`, 32));
  return {
    tokenHashing: derive("token-hashing"),
    mailSealing: derive("mail-sealing"),
    limitKeying: derive("limit-keying"),
    pageTokens: derive("page-tokens"),
    sessionKeys: derive("session-assertion-keys"),
  };
}
