package dev.userharbor.sessions;

/**
 * The key set could not be fetched and no earlier copy is held: nothing is known about the
 * assertion. {@link SessionVerifier#check} asks the server instead.
 */
public final class KeySetUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeySetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
