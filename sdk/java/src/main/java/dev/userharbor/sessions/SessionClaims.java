package dev.userharbor.sessions;

import java.time.Instant;

/**
 * Who a valid assertion (or VerifySession) says the caller is.
 *
 * @param accountId {@code sub}: the account id (User.id), the foreign key for your own records
 * @param sessionId {@code sid}: the session's public id (ListSessions' Session.id)
 * @param username canonical username
 * @param emailVerified whether the account's email is verified
 * @param expiresAt {@code exp}: when the assertion stops being accepted
 */
public record SessionClaims(
    String accountId, String sessionId, String username, boolean emailVerified, Instant expiresAt) {}
