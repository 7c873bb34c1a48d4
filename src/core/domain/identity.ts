import { z } from "zod";
import { AccountError } from "../errors.js";

/**
 * Usernames are case-insensitive: the canonical form is lower case, and that is
 * what is stored, matched and returned. Only ASCII so look-alike (homoglyph)
 * names cannot impersonate each other.
 */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,30}[A-Za-z0-9]$/;

export function canonicalUsername(raw: string): string {
  // Test before lower-casing: Unicode case folding maps some non-ASCII letters
  // (the Kelvin sign U+212A) onto ASCII ones.
  if (!USERNAME.test(raw)) throw new AccountError("INVALID_USERNAME", { field: "username" });
  return raw.toLowerCase();
}

const EMAIL = z.email();
const EMAIL_MAX = 254;

export interface EmailAddress {
  /** As the user typed it (shown back, and used to send mail). */
  address: string;
  /** Lower-cased: what uniqueness and look-ups use. */
  key: string;
}

export function parseEmail(raw: string, field = "email"): EmailAddress {
  // Length first: the pattern never sees an oversized string.
  const at = raw.lastIndexOf("@");
  if (raw.length > EMAIL_MAX || at > 64 || !EMAIL.safeParse(raw).success) {
    throw new AccountError("INVALID_EMAIL", { field });
  }
  return { address: raw, key: raw.toLowerCase() };
}

/** Login accepts a username or an email in one field. */
export type LoginName =
  | { kind: "username"; username: string }
  | { kind: "email"; email: EmailAddress };

export function parseLoginName(raw: string): LoginName | null {
  try {
    return raw.includes("@")
      ? { kind: "email", email: parseEmail(raw, "username") }
      : { kind: "username", username: canonicalUsername(raw) };
  } catch {
    return null;
  }
}

/** `jane@example.com` -> `j***@example.com`: enough to tell apart in a log, not to harvest. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 1 ? "***" : `${address[0]}***${address.slice(at)}`;
}
