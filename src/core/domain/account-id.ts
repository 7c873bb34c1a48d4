import { v7 } from "uuid";

/**
 * A new account id: UUIDv7 in lower-case text. Time-ordered, so ids of new
 * accounts land near each other in an index (unlike v4), and 74 random bits per
 * millisecond make a collision, and so a reused id, practically impossible.
 */
export function newAccountId(): string {
  return v7();
}
