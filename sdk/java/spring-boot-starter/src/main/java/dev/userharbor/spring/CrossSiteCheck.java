package dev.userharbor.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-site request refusal (OWASP: verify the origin with standard headers), on top of
 * SameSite=Lax cookies. Applies to unsafe methods of requests that are not bearer-authenticated:
 * cookie requests to guarded handlers, logout with a cookie, and login.
 */
public final class CrossSiteCheck {
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final Set<String> allowedOrigins = new HashSet<>();

  /** @throws IllegalArgumentException for an entry that is not an exact origin like https://host:port */
  public CrossSiteCheck(Collection<String> allowedOrigins) {
    for (String origin : allowedOrigins) {
      String exact = origin.replaceAll("/$", "").toLowerCase(Locale.ROOT);
      String normal = normalize(origin).orElse(null);
      // Compared with the default port dropped, as browsers send it.
      if (normal == null || !(normal.equals(exact) || normal.equals(exact.replaceAll(":(80|443)$", "")))) {
        throw new IllegalArgumentException("userharbor.allowed-origins: " + origin + " is not an exact origin like https://host:port");
      }
      this.allowedOrigins.add(normal);
    }
  }

  /**
   * True when the request must be refused as cross-site:
   *
   * <ul>
   *   <li>safe methods (GET, HEAD, OPTIONS): never;
   *   <li>{@code Sec-Fetch-Site: same-origin | none}: allowed; any other value only from an
   *       allowed {@code Origin};
   *   <li>no {@code Sec-Fetch-Site}: an {@code Origin} must be allowed ({@code null} never is);
   *       none at all (non-browser clients, old browsers) is allowed.
   * </ul>
   *
   * Allowed: {@code ownOrigin} (the scheme and host the client addressed) and the configured list.
   */
  public boolean refuses(String method, String secFetchSite, String origin, String ownOrigin) {
    if (SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
      return false;
    }
    String site = secFetchSite == null ? null : secFetchSite.trim().toLowerCase(Locale.ROOT);
    if ("same-origin".equals(site) || "none".equals(site)) {
      return false;
    }
    if (site == null && origin == null) {
      return false;
    }
    Optional<String> normal = origin == null ? Optional.empty() : normalize(origin);
    if (normal.isEmpty()) {
      return true; // Origin: null, junk, or absent beside a cross-site Sec-Fetch-Site
    }
    return !normal.equals(normalize(ownOrigin)) && !allowedOrigins.contains(normal.get());
  }

  /** {@link #refuses} for a servlet request, its own origin proxy-aware (the container's). */
  public boolean refuses(HttpServletRequest request) {
    return refuses(request.getMethod(), request.getHeader("Sec-Fetch-Site"), request.getHeader("Origin"), ownOrigin(request));
  }

  /**
   * The scheme and host the client addressed: the container's view, which Tomcat's RemoteIpValve
   * ({@code server.forward-headers-strategy=native}) takes from X-Forwarded-Proto/-Host only when
   * the peer is a trusted proxy.
   */
  public static String ownOrigin(HttpServletRequest request) {
    String host = request.getServerName();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]"; // an IPv6 literal
    }
    return request.getScheme() + "://" + host + ":" + request.getServerPort();
  }

  /** {@code scheme://host[:port]} of an http(s) URL (lower case, default port dropped), or empty. */
  public static Optional<String> normalize(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return Optional.empty();
    }
    int port = uri.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
  }
}
