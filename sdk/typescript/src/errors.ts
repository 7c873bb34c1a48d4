/** Why an assertion was refused. Stable strings: log them, branch on them, count them. */
export type SessionAssertionErrorCode =
  | "expired"
  | "bad_signature"
  | "unknown_key"
  | "wrong_issuer"
  | "wrong_audience"
  | "malformed";

/**
 * An assertion this verifier will not vouch for. `check()` treats it as "ask
 * the server"; `verify()` callers decide (usually: 401, or call VerifySession).
 */
export class SessionAssertionError extends Error {
  override readonly name = "SessionAssertionError";

  constructor(
    readonly code: SessionAssertionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The key set could not be fetched (and no earlier copy is held): nothing about
 * the assertion is known. `check()` then asks the server instead.
 */
export class KeySetUnavailableError extends Error {
  override readonly name = "KeySetUnavailableError";
}
