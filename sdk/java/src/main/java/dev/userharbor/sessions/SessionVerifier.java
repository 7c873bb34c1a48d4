package dev.userharbor.sessions;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.userharbor.sessions.SessionAssertionException.Code;
import dev.userharbor.v1.VerifySessionRequest;
import dev.userharbor.v1.VerifySessionResponse;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks UserHarbor sessions without a network hop per request: verifies session assertions
 * (compact JWS, EdDSA / Ed25519) locally against the published key set with nimbus-jose-jwt, and
 * asks VerifySession only when an assertion is missing, expired or not verifiable. Thread-safe:
 * make one per process. Build one with {@link #builder()}.
 */
public final class SessionVerifier {
  /**
   * The least time between two key set fetches that something asked for (an unknown kid, a
   * scheduled refresh, a failed fetch being retried), so assertions with garbage kids, or a key
   * server that is down, cannot make the verifier hammer it.
   */
  public static final Duration REFETCH_COOLDOWN = Duration.ofSeconds(30);

  /** The most clock skew a verifier forgives on {@code exp}. */
  public static final Duration MAX_LEEWAY = Duration.ofSeconds(5);

  private static final Set<String> REQUIRED_CLAIMS =
      Set.of("iss", "sub", "iat", "exp", "sid", "username", "email_verified");

  /** Background key set refreshes of every verifier: one daemon thread, gone when idle. */
  private static final Executor REFRESHES = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), task -> {
        Thread thread = new Thread(task, "userharbor-key-refresh");
        thread.setDaemon(true);
        return thread;
      });

  /** Counters, for metrics and tests. */
  public record Stats(long keyFetches, long serverCalls, long cacheHits, long signatureChecks) {}

  private final String issuer;
  private final String audience;
  private final Duration leeway;
  private final VerifySessionCaller client;
  private final Clock clock;
  private final KeyCache keys;
  private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;
  private final Map<String, SessionClaims> cache; // null when off; guarded by itself
  private final AtomicLong serverCalls = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicLong signatureChecks = new AtomicLong();

  private SessionVerifier(Builder b) {
    if ((b.jwksUri == null) == (b.keyFetcher == null)) {
      throw new IllegalArgumentException("set exactly one of jwksUri and keyFetcher");
    }
    if (b.issuer == null || b.issuer.isEmpty()) {
      throw new IllegalArgumentException("the issuer is required");
    }
    if (b.leeway.isNegative() || b.leeway.compareTo(MAX_LEEWAY) > 0) {
      throw new IllegalArgumentException("leeway must be 0 to " + MAX_LEEWAY);
    }
    // Under 30 s would fetch more often than the cooldown allows; over 30 min, a verifier could
    // still hold a set from before the next key was published (it is published one rotation
    // period, at least 1 h, before it signs; HTTP caches may add 10 min).
    if (b.refreshInterval.compareTo(REFETCH_COOLDOWN) < 0 || b.refreshInterval.compareTo(Duration.ofMinutes(30)) > 0) {
      throw new IllegalArgumentException("refreshInterval must be 30 s to 30 min");
    }
    if (b.cacheSize < 0) {
      throw new IllegalArgumentException("cacheSize must be >= 0");
    }
    issuer = b.issuer;
    audience = b.audience;
    leeway = b.leeway;
    client = b.client;
    clock = b.clock;
    KeyFetcher fetcher = b.keyFetcher != null ? b.keyFetcher : KeyFetcher.http(b.jwksUri);
    keys = new KeyCache(fetcher, b.refreshInterval, clock, b.executor);
    // nimbus checks the required claims and exp (on our clock, with the leeway); iss and aud are
    // compared first, below, so each gets its own code.
    claimsVerifier = new DefaultJWTClaimsVerifier<>(null, REQUIRED_CLAIMS) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claimsVerifier.setMaxClockSkew((int) leeway.toSeconds());
    int size = b.cacheSize;
    cache = size == 0 ? null : new LinkedHashMap<>(16, 0.75f, true) { // access order: LRU
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SessionClaims> eldest) {
        return size() > size;
      }
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  public Stats stats() {
    return new Stats(keys.fetches(), serverCalls.get(), cacheHits.get(), signatureChecks.get());
  }

  /**
   * The claims of a valid assertion.
   *
   * @throws SessionAssertionException with the {@link Code} saying why not
   * @throws KeySetUnavailableException when no key set could be fetched yet
   */
  public SessionClaims verify(String assertion) {
    SessionClaims hit = cached(assertion);
    if (hit != null) {
      return hit;
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(Objects.requireNonNullElse(assertion, ""));
    } catch (ParseException e) {
      throw new SessionAssertionException(Code.MALFORMED, "not a compact JWS", e);
    }
    if (!JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm())) {
      throw new SessionAssertionException(Code.MALFORMED, "alg " + jwt.getHeader().getAlgorithm() + " is not EdDSA");
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null || kid.isEmpty()) {
      throw new SessionAssertionException(Code.MALFORMED, "no kid in the header");
    }
    Ed25519Verifier key = keys.verifierFor(kid);
    if (key == null) {
      throw new SessionAssertionException(Code.UNKNOWN_KEY, "no published key has kid " + kid);
    }
    signatureChecks.incrementAndGet();
    try {
      if (!jwt.verify(key)) {
        throw new SessionAssertionException(Code.BAD_SIGNATURE, "the signature does not match");
      }
    } catch (JOSEException e) {
      throw new SessionAssertionException(Code.MALFORMED, "unverifiable: " + e.getMessage(), e);
    }
    JWTClaimsSet claims = claimsOf(jwt);
    if (!issuer.equals(claims.getIssuer())) {
      throw new SessionAssertionException(Code.WRONG_ISSUER, "unexpected iss");
    }
    if (audience != null && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
      throw new SessionAssertionException(Code.WRONG_AUDIENCE, "unexpected aud");
    }
    try {
      claimsVerifier.verify(claims, null);
    } catch (ExpiredJWTException e) {
      throw new SessionAssertionException(Code.EXPIRED, "the assertion has expired", e);
    } catch (BadJWTException e) {
      throw new SessionAssertionException(Code.MALFORMED, e.getMessage(), e);
    }
    SessionClaims verified = sessionClaims(claims);
    remember(assertion, verified);
    return verified;
  }

  /** {@link #check(String, String, boolean)} without strict. */
  public Optional<CheckResult> check(String sessionToken, String assertion) {
    return check(sessionToken, assertion, false);
  }

  /**
   * The session's user, or empty when the session is not valid (or there is no token).
   *
   * <p>Without {@code strict}, a valid {@code assertion} answers alone: no network call.
   * Otherwise (no assertion, expired, unknown key, forged, key set unreachable) one VerifySession
   * with issue_assertion; its new assertion comes back ({@code fromServer}) for the caller to
   * keep. {@code strict} always asks the server, so a revoked session is refused at once. Errors
   * of the call itself ({@code StatusRuntimeException}) propagate.
   */
  public Optional<CheckResult> check(String sessionToken, String assertion, boolean strict) {
    if (!strict && assertion != null && !assertion.isEmpty()) {
      try {
        return Optional.of(new CheckResult(verify(assertion), assertion, false));
      } catch (SessionAssertionException | KeySetUnavailableException stale) {
        // expired, unknown, forged or unverifiable: the server decides instead
      }
    }
    if (sessionToken == null || sessionToken.isEmpty()) {
      return Optional.empty();
    }
    if (client == null) {
      throw new IllegalStateException("check() needs the client (VerifySession)");
    }
    serverCalls.incrementAndGet();
    VerifySessionResponse answer = client.verifySession(VerifySessionRequest.newBuilder()
        .setSessionToken(sessionToken).setIssueAssertion(true).build());
    if (!answer.getValid()) {
      return Optional.empty();
    }
    if (answer.getSessionAssertion().isEmpty()) {
      throw new IllegalStateException("VerifySession answered valid without an assertion: is the server older?");
    }
    // Straight from the server over the caller's own channel: trusted like `valid` itself.
    SignedJWT issued;
    try {
      issued = SignedJWT.parse(answer.getSessionAssertion());
    } catch (ParseException e) {
      throw new SessionAssertionException(Code.MALFORMED, "VerifySession's assertion is not a JWS", e);
    }
    SessionClaims user = sessionClaims(claimsOf(issued));
    remember(answer.getSessionAssertion(), user);
    return Optional.of(new CheckResult(user, answer.getSessionAssertion(), true));
  }

  private SessionClaims cached(String assertion) {
    if (cache == null || assertion == null) {
      return null;
    }
    synchronized (cache) {
      SessionClaims hit = cache.get(assertion);
      if (hit == null) {
        return null;
      }
      // nimbus's rule: alive while exp is after now - leeway.
      if (hit.expiresAt().isAfter(clock.instant().minus(leeway))) {
        cacheHits.incrementAndGet();
        return hit;
      }
      cache.remove(assertion);
      return null;
    }
  }

  private void remember(String assertion, SessionClaims claims) {
    if (cache != null) {
      synchronized (cache) {
        cache.put(assertion, claims);
      }
    }
  }

  private static JWTClaimsSet claimsOf(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new SessionAssertionException(Code.MALFORMED, "unreadable claims", e);
    }
  }

  /** The claims UserHarbor signs; MALFORMED if any is missing or mistyped. */
  private static SessionClaims sessionClaims(JWTClaimsSet claims) {
    try {
      String sid = claims.getStringClaim("sid");
      String username = claims.getStringClaim("username");
      Boolean emailVerified = claims.getBooleanClaim("email_verified");
      Date exp = claims.getExpirationTime();
      if (claims.getSubject() == null || sid == null || username == null || emailVerified == null || exp == null) {
        throw new SessionAssertionException(Code.MALFORMED, "missing claims");
      }
      return new SessionClaims(claims.getSubject(), sid, username, emailVerified, exp.toInstant());
    } catch (ParseException e) {
      throw new SessionAssertionException(Code.MALFORMED, "mistyped claims", e);
    }
  }

  /** Options of a {@link SessionVerifier}; {@code issuer} and one key source are required. */
  public static final class Builder {
    private URI jwksUri;
    private KeyFetcher keyFetcher;
    private String issuer;
    private String audience;
    private Duration leeway = MAX_LEEWAY;
    private Duration refreshInterval = Duration.ofMinutes(10);
    private int cacheSize = 10_000;
    private VerifySessionCaller client;
    private Clock clock = Clock.systemUTC();
    private Executor executor = REFRESHES;

    private Builder() {}

    /** {@code <service URL>/.well-known/jwks.json}. Exactly one of this and {@link #keyFetcher}. */
    public Builder jwksUri(URI jwksUri) {
      this.jwksUri = jwksUri;
      return this;
    }

    /** Any other way of getting the key set, e.g. {@link KeyFetcher#getSessionKeys}. */
    public Builder keyFetcher(KeyFetcher keyFetcher) {
      this.keyFetcher = keyFetcher;
      return this;
    }

    /** The {@code iss} to require: the server's ASSERTION_ISSUER (default "userharbor"). */
    public Builder issuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    /** The {@code aud} to require, when the server sets ASSERTION_AUDIENCE. */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /** Clock skew forgiven on {@code exp}: 0 to 5 s (default 5 s). */
    public Builder leeway(Duration leeway) {
      this.leeway = Objects.requireNonNull(leeway);
      return this;
    }

    /** Age at which the held key set is refreshed in the background: 30 s to 30 min (default 10 min). */
    public Builder refreshInterval(Duration refreshInterval) {
      this.refreshInterval = Objects.requireNonNull(refreshInterval);
      return this;
    }

    /** Verified assertions kept (least recently used go first), each until its exp; 0 = off. Default 10 000. */
    public Builder cacheSize(int cacheSize) {
      this.cacheSize = cacheSize;
      return this;
    }

    /** What {@link #check} calls: VerifySession, e.g. {@code stub::verifySession}. */
    public Builder client(VerifySessionCaller client) {
      this.client = client;
      return this;
    }

    /** The clock (tests inject one). Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Runs the background key set refreshes (default: one shared daemon thread). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor);
      return this;
    }

    /** @throws IllegalArgumentException for a missing or out-of-range option */
    public SessionVerifier build() {
      return new SessionVerifier(this);
    }
  }
}
