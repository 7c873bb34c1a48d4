package dev.userharbor.spring;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code userharbor.*}: where UserHarbor is and how the integration behaves. Checked at start-up
 * (a missing {@code url} or an out-of-range value stops the application with the reason).
 *
 * @param url UserHarbor's URL, like {@code http://127.0.0.1:50051} (gRPC over HTTP/2). Required.
 * @param apiKey this backend's API key (sent as {@code authorization: Bearer}); empty sends none.
 *     It needs the {@code client-ip} scope for the end user's IP to count.
 * @param issuer the {@code iss} assertions must carry: the server's ASSERTION_ISSUER
 * @param audience the {@code aud} to require, when the server sets ASSERTION_AUDIENCE
 * @param deadline deadline of every call to UserHarbor and of the key set fetch: 100 ms to 60 s
 * @param leeway clock skew forgiven on an assertion's {@code exp}: 0 to 5 s
 * @param cookies cookie names and the device cookie's lifetime
 * @param insecureDevCookies development over plain http only: drops {@code Secure}, and the
 *     default cookie names lose their {@code __Host-} prefix. Never in production.
 * @param allowedOrigins origins besides this app's own that may send unsafe cookie requests
 *     (exact, like {@code https://app.example.com})
 * @param bearerAssertionsMax bearer tokens whose latest assertion is remembered (LRU)
 * @param loginPath where to mount the login endpoint (POST); unset: not mounted
 * @param logoutPath where to mount the logout endpoint (POST); unset: not mounted
 */
@ConfigurationProperties(prefix = "userharbor")
public record UserHarborProperties(
    URI url,
    @DefaultValue("") String apiKey,
    @DefaultValue("userharbor") String issuer,
    String audience,
    @DefaultValue("2s") Duration deadline,
    @DefaultValue("5s") Duration leeway,
    @DefaultValue Cookies cookies,
    boolean insecureDevCookies,
    @DefaultValue List<String> allowedOrigins,
    @DefaultValue("10000") int bearerAssertionsMax,
    String loginPath,
    String logoutPath) {

  /**
   * Cookie names (defaults: {@code __Host-uh_session}, {@code __Host-uh_assertion},
   * {@code __Host-uh_device}; {@code uh_session}... under {@code insecure-dev-cookies}).
   *
   * @param session the session cookie's name (it holds the session token)
   * @param assertion the assertion cookie's name
   * @param device the device cookie's name (UserHarbor's device token)
   * @param deviceMaxAge the device cookie's lifetime: match the server's DEVICE_TOKEN_TTL
   */
  public record Cookies(String session, String assertion, String device, @DefaultValue("180d") Duration deviceMaxAge) {}
}
