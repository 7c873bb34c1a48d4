package dev.userharbor.spring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The assertion cookie holds {@code <assertion>~<tag>}, the tag being the base64url SHA-256 of
 * the session token it was issued with. An assertion is a bearer credential for its lifetime,
 * bound to no token by its signature; the tag binds the cookie to its session cookie, so an
 * assertion cookie that leaked alone cannot be paired with a made-up session cookie: without the
 * real token it is ignored and UserHarbor decides.
 */
final class AssertionCookie {
  private AssertionCookie() {}

  static String bind(String assertion, String sessionToken) {
    return assertion + "~" + tagOf(sessionToken);
  }

  /** The assertion of a cookie value if its tag is this session token's, else null. */
  static String bound(String cookieValue, String sessionToken) {
    int at = cookieValue == null ? -1 : cookieValue.lastIndexOf('~');
    if (at < 0) {
      return null;
    }
    byte[] tag = cookieValue.substring(at + 1).getBytes(StandardCharsets.US_ASCII);
    byte[] expected = tagOf(sessionToken).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(tag, expected) ? cookieValue.substring(0, at) : null; // constant time
  }

  /** base64url (no padding) SHA-256 of the token: the tag, and the bearer map's key. */
  static String tagOf(String sessionToken) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionToken.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
