package dev.userharbor.sessions;

/**
 * What {@link SessionVerifier#check} found.
 *
 * @param user the session's user
 * @param assertion the assertion to keep for next time (a cookie, a cache): the one given, or a
 *     new one from VerifySession
 * @param fromServer true when VerifySession answered (and issued {@code assertion})
 */
public record CheckResult(SessionClaims user, String assertion, boolean fromServer) {}
