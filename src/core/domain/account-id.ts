import { v7 } from "uuid";

/**
 * A new account id: UUIDv7 in lower-case text. Time-ordered, so ids of new
 * accounts land near each other in an index (unlike v4), and 74 random bits per
 * millisecond make a collision, and so a reused id, practically impossible.
 */
export function newAccountId(): string {
  return v7();
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An account id as typed by an operator: any UUID in text form, lower-cased; null if it is not one. */
export function parseAccountId(raw: string): string | null {
  return UUID_TEXT.test(raw) ? raw.toLowerCase() : null;
}
