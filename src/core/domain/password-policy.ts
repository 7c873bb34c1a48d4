import { AccountError } from "../errors.js";

/** The configurable minimum length: its default (ASVS 4.0.3 V2.1.1: at least 12) and range. */
export const PASSWORD_MIN_LENGTH = { default: 12, floor: 8, ceiling: 64 } as const;
export const PASSWORD_MAX = 128;

// Control characters (C0, DEL, C1): never typed by a person, usually a client bug.
const CONTROL = /\p{Cc}/u;

/** Whose password it is: it may not equal their username or email. */
export interface PasswordOwner {
  username: string;
  emailKey: string;
}

/** Optional extra check (a common-password list); kept as a function so the core stays data-free. */
export type CommonPasswordCheck = (password: string) => boolean;

/**
 * NFKC-normalises and checks a new password. Returns the normalised form: that
 * is what gets hashed, so the same password typed on another keyboard (full-width
 * digits, composed accents) still matches.
 */
export function acceptPassword(
  raw: string,
  owner: PasswordOwner,
  options: {
    field?: string;
    isCommon?: CommonPasswordCheck | undefined;
    minLength?: number | undefined;
  } = {},
): string {
  const field = options.field ?? "password";
  const min = options.minLength ?? PASSWORD_MIN_LENGTH.default;
  const weak = (detail: string) => new AccountError("WEAK_PASSWORD", { field, detail });
  // Length-check the raw input first so a megabyte string costs nothing more.
  if (raw.length > PASSWORD_MAX * 2)
    throw weak(`password must be at most ${PASSWORD_MAX} characters`);
  const password = normalisePassword(raw);
  const length = [...password].length;
  if (length < min) throw weak(`password must be at least ${min} characters`);
  if (length > PASSWORD_MAX) throw weak(`password must be at most ${PASSWORD_MAX} characters`);
  if (CONTROL.test(password)) throw weak("password must not contain control characters");
  const lower = password.toLowerCase();
  if (lower === owner.username || lower === owner.emailKey) {
    throw weak("password must not equal the username or email");
  }
  if (options.isCommon?.(password)) throw weak("password is too common");
  return password;
}

/** The form every password is hashed and verified in. */
export function normalisePassword(raw: string): string {
  return raw.normalize("NFKC");
}

/** A login password longer than any acceptable one cannot match: refuse it before hashing. */
export function couldBePassword(raw: string): boolean {
  return raw.length > 0 && raw.length <= PASSWORD_MAX * 4;
}
