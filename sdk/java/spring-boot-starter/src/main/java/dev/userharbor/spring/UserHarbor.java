package dev.userharbor.spring;

import com.nimbusds.jwt.JWTParser;
import dev.userharbor.sessions.CheckResult;
import dev.userharbor.sessions.KeyFetcher;
import dev.userharbor.sessions.SessionVerifier;
import dev.userharbor.spring.CookiePolicy.Kind;
import dev.userharbor.v1.AccountServiceGrpc;
import dev.userharbor.v1.AccountServiceGrpc.AccountServiceBlockingStub;
import dev.userharbor.v1.ClientContext;
import dev.userharbor.v1.LoginRequest;
import dev.userharbor.v1.LoginResponse;
import dev.userharbor.v1.LogoutRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;

/**
 * UserHarbor sessions for a servlet application (docs/integrations.md): the check behind the
 * guard annotations, the login and logout endpoints, and what an app needs for its own calls
 * ({@link #accounts()}, {@link #sessionToken}, {@link #clientContext}). One per application: the
 * auto-configuration builds it from {@code userharbor.*}.
 */
public final class UserHarbor {
  /** Session tokens are {@code uhs_} + base64url; anything else is refused without asking UserHarbor. */
  private static final Pattern PLAUSIBLE_TOKEN = Pattern.compile("uhs_[A-Za-z0-9_-]{1,500}");
  private static final Pattern BEARER = Pattern.compile("Bearer +(.*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern IPV4_MAPPED = Pattern.compile("::ffff:(\\d+\\.\\d+\\.\\d+\\.\\d+)", Pattern.CASE_INSENSITIVE);
  /** The longest User-Agent passed on (UserHarbor keeps no more). */
  static final int USER_AGENT_MAX = 512;

  private final AccountServiceBlockingStub stub;
  private final Duration deadline;
  private final SessionVerifier verifier;
  private final CookiePolicy cookies;
  private final CrossSiteCheck crossSite;
  private final BearerAssertions bearerAssertions;

  /**
   * @param channel to UserHarbor, with this backend's API key on every call
   * @throws IllegalArgumentException for a missing or out-of-range setting
   */
  public UserHarbor(UserHarborProperties properties, Channel channel) {
    URI url = validUrl(properties.url());
    deadline = properties.deadline();
    if (deadline.compareTo(Duration.ofMillis(100)) < 0 || deadline.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("userharbor.deadline must be 100ms to 60s");
    }
    stub = AccountServiceGrpc.newBlockingStub(channel);
    URI jwks = URI.create(url.toString().replaceAll("/+$", "") + "/.well-known/jwks.json");
    SessionVerifier.Builder builder = SessionVerifier.builder()
        .keyFetcher(KeyFetcher.http(jwks, HttpClient.newBuilder().connectTimeout(deadline).build(), deadline))
        .issuer(properties.issuer())
        .leeway(properties.leeway())
        .client(request -> accounts().verifySession(request));
    if (properties.audience() != null && !properties.audience().isEmpty()) {
      builder.audience(properties.audience());
    }
    verifier = builder.build();
    cookies = new CookiePolicy(properties.cookies(), properties.insecureDevCookies());
    crossSite = new CrossSiteCheck(properties.allowedOrigins());
    bearerAssertions = new BearerAssertions(properties.bearerAssertionsMax());
  }

  static URI validUrl(URI url) {
    if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null
        || !(url.getPath() == null || url.getPath().matches("/*"))) {
      throw new IllegalArgumentException("userharbor.url must be UserHarbor's http(s)://host:port, got " + url);
    }
    return url;
  }

  /** AccountService with the API key and, from now, the deadline: take a fresh one per call. */
  public AccountServiceBlockingStub accounts() {
    return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  public SessionVerifier verifier() {
    return verifier;
  }

  public CookiePolicy cookies() {
    return cookies;
  }

  /** The request's session token (bearer first, else the session cookie), for the app's own calls. */
  public Optional<String> sessionToken(HttpServletRequest request) {
    return sessionOf(request).map(Session::token).filter(token -> !token.isEmpty());
  }

  /**
   * The end user UserHarbor is asked to act for: the container's proxy-aware client address
   * ({@code getRemoteAddr()}, which Tomcat's RemoteIpValve sets from X-Forwarded-For only for
   * trusted proxies; UserHarbor believes it only from an API key with the {@code client-ip}
   * scope), the User-Agent, and the device cookie.
   */
  public ClientContext clientContext(HttpServletRequest request) {
    String agent = Optional.ofNullable(request.getHeader(HttpHeaders.USER_AGENT)).orElse("");
    return ClientContext.newBuilder()
        .setIp(ipOf(request.getRemoteAddr()))
        .setUserAgent(agent.length() > USER_AGENT_MAX ? agent.substring(0, USER_AGENT_MAX) : agent)
        .setDeviceToken(cookies.read(request, Kind.DEVICE).orElse(""))
        .build();
  }

  private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /**
   * The address as UserHarbor takes it: IPv4-mapped IPv6 as plain IPv4, and anything that is no
   * IP address (a Unix socket, junk a trusted proxy forwarded) empty, so UserHarbor counts the
   * connection's address instead of refusing the call.
   */
  static String ipOf(String address) {
    if (address == null) {
      return "";
    }
    Matcher mapped = IPV4_MAPPED.matcher(address);
    if (mapped.matches()) {
      return mapped.group(1);
    }
    if (IPV4.matcher(address).matches()) {
      return address;
    }
    if (!IPV6_CHARS.matcher(address).matches()) {
      return "";
    }
    try {
      // Only hex digits, dots and a colon: parsed as an IPv6 literal, never looked up.
      return InetAddress.getByName(address) instanceof Inet6Address ? address : "";
    } catch (UnknownHostException notAnAddress) {
      return "";
    }
  }

  /** Where a request's session token came from; {@code assertion} is the cookie's, for cookie requests. */
  private record Session(String token, boolean bearer, String assertion) {}

  private Optional<Session> sessionOf(HttpServletRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    Matcher bearer = authorization == null ? null : BEARER.matcher(authorization);
    if (bearer != null && bearer.matches()) {
      return Optional.of(new Session(bearer.group(1).trim(), true, null));
    }
    // The assertion counts only with the session cookie it was issued with.
    return cookies.read(request, Kind.SESSION).map(token ->
        new Session(token, false, AssertionCookie.bound(cookies.read(request, Kind.ASSERTION).orElse(null), token)));
  }

  /** What a guard decided: go on with {@code user} (null: anonymous), or answer {@code refusal}. */
  record Authentication(UserHarborUser user, UserHarborProblem refusal, List<ResponseCookie> cookies) {}

  /** Runs a handler's check. Errors that are not UserHarbor's propagate. */
  Authentication authenticate(HttpServletRequest request, Requirement need) {
    boolean optional = need.kind() == Requirement.Kind.OPTIONAL;
    Optional<Session> found = sessionOf(request);
    if (found.isEmpty()) {
      return new Authentication(null, optional ? null : UserHarborProblem.invalidSession(), List.of());
    }
    Session session = found.get();
    if (!session.bearer() && crossSite.refuses(request)) {
      return new Authentication(null, UserHarborProblem.crossSite(), List.of());
    }
    try {
      Optional<CheckResult> result = check(session, need.strict());
      boolean wantsVerified = need.kind() == Requirement.Kind.VERIFIED_EMAIL;
      // The assertion may predate the verification: ask once before refusing.
      if (wantsVerified && result.isPresent() && !result.get().user().emailVerified() && !result.get().fromServer()) {
        result = check(session, true);
      }
      if (result.isEmpty()) {
        List<ResponseCookie> cleared = forget(session);
        return new Authentication(null, optional ? null : UserHarborProblem.invalidSession(), cleared);
      }
      List<ResponseCookie> kept = keep(session, result.get());
      if (wantsVerified && !result.get().user().emailVerified()) {
        return new Authentication(null, UserHarborProblem.emailNotVerified(), kept);
      }
      return new Authentication(UserHarborUser.of(result.get().user()), null, kept);
    } catch (StatusRuntimeException error) {
      return new Authentication(null, UserHarborProblem.of(error).orElseThrow(), List.of());
    }
  }

  /** verifier.check, for a token that can be a session token at all. */
  private Optional<CheckResult> check(Session session, boolean strict) {
    if (!PLAUSIBLE_TOKEN.matcher(session.token()).matches()) {
      return Optional.empty();
    }
    String assertion = session.bearer() ? bearerAssertions.get(session.token()) : session.assertion();
    return verifier.check(session.token(), assertion, strict);
  }

  /** Keeps a new assertion: a cookie for cookie requests, the map for bearer ones. */
  private List<ResponseCookie> keep(Session session, CheckResult result) {
    if (!result.fromServer()) {
      return List.of();
    }
    if (session.bearer()) {
      bearerAssertions.put(session.token(), result.assertion());
      return List.of();
    }
    return List.of(cookies.set(Kind.ASSERTION, AssertionCookie.bind(result.assertion(), session.token()),
        secondsUntil(result.user().expiresAt())));
  }

  /** Forgets a session UserHarbor says is over. */
  private List<ResponseCookie> forget(Session session) {
    if (session.bearer()) {
      bearerAssertions.remove(session.token());
      return List.of();
    }
    return List.of(cookies.clear(Kind.SESSION), cookies.clear(Kind.ASSERTION));
  }

  /**
   * POST login: JSON {@code {"username", "password"}} → Login with the ClientContext → 200 with
   * the user as JSON and the three cookies (the rotated device token replaces the one sent).
   */
  public void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (crossSite.refuses(request)) {
      UserHarborProblem.crossSite().writeTo(response, List.of());
      return;
    }
    LoginResponse answer;
    try {
      LoginBody.Credentials credentials = LoginBody.read(request);
      answer = accounts().login(LoginRequest.newBuilder()
          .setUsername(credentials.username())
          .setPassword(credentials.password())
          .setClient(clientContext(request))
          .build());
    } catch (UserHarborProblem | StatusRuntimeException error) {
      UserHarborProblem.of(error).orElseThrow().writeTo(response, List.of());
      return;
    }
    Instant expiresAt = answer.hasExpireTime()
        ? Instant.ofEpochSecond(answer.getExpireTime().getSeconds(), answer.getExpireTime().getNanos())
        : Instant.now();
    List<ResponseCookie> set = new ArrayList<>(3);
    set.add(cookies.set(Kind.SESSION, answer.getSessionToken(), secondsUntil(expiresAt)));
    String assertion = answer.getSessionAssertion();
    set.add(assertion.isEmpty() ? cookies.clear(Kind.ASSERTION)
        : cookies.set(Kind.ASSERTION, AssertionCookie.bind(assertion, answer.getSessionToken()), secondsUntil(expOf(assertion))));
    if (!answer.getDeviceToken().isEmpty()) {
      set.add(cookies.set(Kind.DEVICE, answer.getDeviceToken(), cookies.deviceMaxAge().toSeconds()));
    }
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", answer.getUser().getId());
    user.put("username", answer.getUser().getUsername());
    user.put("email", answer.getUser().getEmail());
    user.put("emailVerified", answer.getUser().getEmailVerified());
    response.setStatus(200);
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    set.forEach(cookie -> response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString()));
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.getOutputStream().write(UserHarborProblem.JSON.writeValueAsBytes(Map.of("user", user, "expiresAt", expiresAt.toString())));
  }

  /**
   * POST logout: Logout with the session (cookie or bearer) → 204, clearing the session and
   * assertion cookies; idempotent. If Logout fails, its problem is answered and the cookies kept,
   * so the user can retry.
   */
  public void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Optional<Session> session = sessionOf(request);
    boolean bearer = session.map(Session::bearer).orElse(false);
    if (!bearer && crossSite.refuses(request)) {
      UserHarborProblem.crossSite().writeTo(response, List.of());
      return;
    }
    if (session.isPresent() && PLAUSIBLE_TOKEN.matcher(session.get().token()).matches()) {
      try {
        accounts().logout(LogoutRequest.newBuilder().setSessionToken(session.get().token()).build());
      } catch (StatusRuntimeException error) {
        UserHarborProblem.of(error).orElseThrow().writeTo(response, List.of());
        return;
      }
    }
    List<ResponseCookie> cleared = bearer ? forget(session.get()) : List.of(cookies.clear(Kind.SESSION), cookies.clear(Kind.ASSERTION));
    response.setStatus(204);
    cleared.forEach(cookie -> response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString()));
  }

  private static long secondsUntil(Instant instant) {
    return Duration.between(Instant.now(), instant).toSeconds();
  }

  /** The assertion's {@code exp}: it came from UserHarbor over our own channel, so it is read unverified. */
  private static Instant expOf(String assertion) {
    try {
      var exp = JWTParser.parse(assertion).getJWTClaimsSet().getExpirationTime();
      return exp == null ? Instant.now() : exp.toInstant();
    } catch (ParseException e) {
      return Instant.now();
    }
  }
}
