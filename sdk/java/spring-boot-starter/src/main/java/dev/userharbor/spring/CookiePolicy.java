package dev.userharbor.spring;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseCookie;

/**
 * Names and attributes of the integration's three cookies: {@code HttpOnly; Secure;
 * SameSite=Lax; Path=/}, no Domain. Reads them from the request and writes them with Spring's
 * {@link ResponseCookie}.
 */
public final class CookiePolicy {
  /** The cookies a browser session uses. */
  public enum Kind { SESSION, ASSERTION, DEVICE }

  private static final Map<Kind, String> SECURE_NAMES =
      Map.of(Kind.SESSION, "__Host-uh_session", Kind.ASSERTION, "__Host-uh_assertion", Kind.DEVICE, "__Host-uh_device");
  /** Browsers refuse {@code __Host-} cookies without Secure, so development names drop it. */
  private static final Map<Kind, String> DEV_NAMES =
      Map.of(Kind.SESSION, "uh_session", Kind.ASSERTION, "uh_assertion", Kind.DEVICE, "uh_device");

  private final Map<Kind, String> names = new EnumMap<>(Kind.class);
  private final boolean secure;
  private final Duration deviceMaxAge;

  /**
   * @param configured names to use instead of the defaults (null fields keep the default)
   * @param insecureDevCookies drop {@code Secure} (development over plain http only)
   * @throws IllegalArgumentException for equal names, a name that is not a cookie name, a
   *     {@code __Host-}/{@code __Secure-} name without Secure, or a lifetime under one second
   */
  public CookiePolicy(UserHarborProperties.Cookies configured, boolean insecureDevCookies) {
    secure = !insecureDevCookies;
    Map<Kind, String> defaults = secure ? SECURE_NAMES : DEV_NAMES;
    names.put(Kind.SESSION, orDefault(configured.session(), defaults.get(Kind.SESSION)));
    names.put(Kind.ASSERTION, orDefault(configured.assertion(), defaults.get(Kind.ASSERTION)));
    names.put(Kind.DEVICE, orDefault(configured.device(), defaults.get(Kind.DEVICE)));
    deviceMaxAge = configured.deviceMaxAge();
    if (deviceMaxAge == null || deviceMaxAge.toSeconds() < 1) {
      throw new IllegalArgumentException("userharbor.cookies.device-max-age must be at least 1s");
    }
    if (new HashSet<>(names.values()).size() != names.size()) {
      throw new IllegalArgumentException("userharbor.cookies: the three cookie names must differ");
    }
    for (String name : names.values()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!secure && (lower.startsWith("__host-") || lower.startsWith("__secure-"))) {
        throw new IllegalArgumentException("cookie " + name + ": browsers refuse that prefix without Secure"
            + " (userharbor.insecure-dev-cookies is on)");
      }
      ResponseCookie.from(name, "").build(); // throws for a name that is not an RFC 6265 token
    }
  }

  private static String orDefault(String name, String fallback) {
    return name == null || name.isEmpty() ? fallback : name;
  }

  public String name(Kind kind) {
    return names.get(kind);
  }

  public boolean secure() {
    return secure;
  }

  public Duration deviceMaxAge() {
    return deviceMaxAge;
  }

  /** The cookie's value in the request, if it is there and not empty. */
  public Optional<String> read(HttpServletRequest request, Kind kind) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (Cookie cookie : cookies) {
      if (cookie.getName().equals(names.get(kind)) && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
        return Optional.of(cookie.getValue());
      }
    }
    return Optional.empty();
  }

  /** A cookie that stores {@code value} for {@code maxAgeSeconds} (0 when negative). */
  public ResponseCookie set(Kind kind, String value, long maxAgeSeconds) {
    return attributes(ResponseCookie.from(names.get(kind), value)).maxAge(Math.max(0, maxAgeSeconds)).build();
  }

  /** A cookie that deletes {@code kind}: the same attributes, {@code Max-Age=0}. */
  public ResponseCookie clear(Kind kind) {
    return attributes(ResponseCookie.from(names.get(kind), "")).maxAge(0).build();
  }

  private ResponseCookie.ResponseCookieBuilder attributes(ResponseCookie.ResponseCookieBuilder cookie) {
    return cookie.httpOnly(true).secure(secure).sameSite("Lax").path("/");
  }
}
