package dev.userharbor.spring;

import dev.userharbor.sessions.SessionClaims;

/**
 * The signed-in user, as a handler method receives it (declare a {@code UserHarborUser}
 * parameter on a handler guarded by {@link RequireUser}, {@link RequireVerifiedEmail} or
 * {@link OptionalUser}; null there when anonymous). Never carries the session token: a handler
 * that serialises it leaks nothing. {@link UserHarbor#sessionToken} has the token.
 *
 * @param accountId the account id (User.id, a UUIDv7): the foreign key for your own records
 * @param sessionId the session's public id, as ListSessions shows it
 * @param username canonical username
 * @param emailVerified whether the account's email address is verified
 */
public record UserHarborUser(String accountId, String sessionId, String username, boolean emailVerified) {
  static UserHarborUser of(SessionClaims claims) {
    return new UserHarborUser(claims.accountId(), claims.sessionId(), claims.username(), claims.emailVerified());
  }
}
