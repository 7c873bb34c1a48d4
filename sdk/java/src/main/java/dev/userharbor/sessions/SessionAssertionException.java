package dev.userharbor.sessions;

/**
 * An assertion this verifier will not vouch for; {@link #code()} says why. {@link
 * SessionVerifier#check} treats it as "ask the server"; {@link SessionVerifier#verify} callers
 * decide (usually: 401, or call VerifySession).
 */
public final class SessionAssertionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an assertion was refused. {@link #value()} is a stable string: log it, count it. */
  public enum Code {
    /** {@code exp} has passed, beyond the leeway. */
    EXPIRED("expired"),
    /** The signature does not match the named key (tampered header or payload, another key). */
    BAD_SIGNATURE("bad_signature"),
    /** No published key has the {@code kid}, even after a refetch. */
    UNKNOWN_KEY("unknown_key"),
    /** {@code iss} is not the configured issuer. */
    WRONG_ISSUER("wrong_issuer"),
    /** {@code aud} is missing or not the configured audience (when one is required). */
    WRONG_AUDIENCE("wrong_audience"),
    /** Not a compact JWS, {@code alg} not EdDSA, no {@code kid}, or a claim missing or mistyped. */
    MALFORMED("malformed");

    private final String value;

    Code(String value) {
      this.value = value;
    }

    /** The same strings the other UserHarbor SDKs use. */
    public String value() {
      return value;
    }
  }

  private final Code code;

  public SessionAssertionException(Code code, String message) {
    this(code, message, null);
  }

  public SessionAssertionException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
