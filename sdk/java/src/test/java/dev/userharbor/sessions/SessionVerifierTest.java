package dev.userharbor.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.userharbor.sessions.SessionAssertionException.Code;
import dev.userharbor.sessions.ServerEnv.Session;
import dev.userharbor.v1.GetSessionKeysRequest;
import dev.userharbor.v1.LogoutRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Java verifier against a real server: what the server signs verifies; each kind of bad
 * assertion gets its typed error; key fetches and VerifySession calls are counted.
 */
class SessionVerifierTest {
  ServerEnv env;

  @BeforeEach
  void start() {
    env = new ServerEnv();
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  /** The code verify() refuses with, or "verified". */
  static String codeOf(SessionVerifier v, String assertion) {
    try {
      v.verify(assertion);
      return "verified";
    } catch (SessionAssertionException e) {
      return e.code().value();
    }
  }

  static Instant expOf(String assertion) throws Exception {
    return Instant.ofEpochSecond(((Number) ServerEnv.part(assertion, 1).get("exp")).longValue());
  }

  static <K, V> Map<K, V> with(Map<K, V> map, K key, V value) {
    Map<K, V> copy = new LinkedHashMap<>(map);
    if (value == null) {
      copy.remove(key);
    } else {
      copy.put(key, value);
    }
    return copy;
  }

  @Nested
  class Verify {
    @Test
    void returnsTheClaimsOfAServerIssuedAssertionFetchingTheKeySetOnce() throws Exception {
      Session s = env.newSession();
      SessionVerifier v = env.verifier();
      assertEquals(new SessionClaims(s.accountId(), s.sessionId(), s.username(), false, expOf(s.assertion())),
          v.verify(s.assertion()));
      v.verify(env.newSession().assertion());
      assertEquals(1, env.fetches.get());
    }

    /** The assertion every language verifies (test/sdk/verifiers.test.ts compares the claims). */
    @Test
    void theSharedAssertion() throws Exception {
      String assertion = System.getenv("UH_SHARED_ASSERTION");
      String out = System.getenv("UH_SHARED_CLAIMS_OUT");
      assumeTrue(assertion != null && out != null, "UH_SHARED_ASSERTION / UH_SHARED_CLAIMS_OUT not set");
      SessionClaims c = env.verifier().verify(assertion);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("accountId", c.accountId());
      json.put("sessionId", c.sessionId());
      json.put("username", c.username());
      json.put("emailVerified", c.emailVerified());
      json.put("expiresAt", c.expiresAt().getEpochSecond());
      Files.writeString(Path.of(out), JSONObjectUtils.toJSONString(json));
    }

    @Test
    void worksFromTheUriAloneAndFromGetSessionKeys() {
      Session s = env.newSession();
      SessionVerifier byUri = SessionVerifier.builder()
          .jwksUri(URI.create(env.url + "/.well-known/jwks.json")).issuer("userharbor").build();
      SessionVerifier byRpc = SessionVerifier.builder()
          .keyFetcher(KeyFetcher.getSessionKeys(env.accounts)).issuer("userharbor").build();
      assertEquals(s.sessionId(), byUri.verify(s.assertion()).sessionId());
      assertEquals(s.sessionId(), byRpc.verify(s.assertion()).sessionId());
      assertEquals(1, env.callsTo("GetSessionKeys"));
    }

    @Test
    void refusesEachKindOfBadAssertionWithItsTypedError() throws Exception {
      Session s = env.newSession();
      SessionVerifier v = env.verifier();
      String a = s.assertion();
      Map<String, Object> header = ServerEnv.part(a, 0);
      Map<String, Object> payload = ServerEnv.part(a, 1);
      String ownKid = (String) header.get("kid");
      String rawPayload = ServerEnv.raw(a, 1);
      String signature = ServerEnv.raw(a, 2);
      List<Object> published = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(
          env.accounts.getSessionKeys(GetSessionKeysRequest.getDefaultInstance()).getJwksJson()), "keys");
      String otherKid = published.stream().map(k -> (String) ((Map<?, ?>) k).get("kid"))
          .filter(kid -> !kid.equals(ownKid)).findFirst().orElseThrow();
      JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(ownKid).build(),
          new Payload(payload));
      forged.sign(new Ed25519Signer(new OctetKeyPairGenerator(Curve.Ed25519).generate()));

      Map<String, String> cases = new LinkedHashMap<>();
      cases.put("the real one", "verified");
      cases.put("a tampered payload", "bad_signature");
      cases.put("signed by another key under our kid", "bad_signature");
      cases.put("another published kid", "bad_signature");
      cases.put("a kid nobody published", "unknown_key");
      cases.put("alg none", "malformed");
      cases.put("no kid", "malformed");
      cases.put("not a JWS", "malformed");
      cases.put("empty", "malformed");
      cases.put("three dots of junk", "malformed");
      Map<String, String> assertions = Map.of(
          "the real one", a,
          "a tampered payload", ServerEnv.raw(a, 0) + "." + ServerEnv.b64(with(payload, "username", "admin")) + "." + signature,
          "signed by another key under our kid", forged.serialize(),
          "another published kid", ServerEnv.b64(with(header, "kid", otherKid)) + "." + rawPayload + "." + signature,
          "a kid nobody published", ServerEnv.b64(with(header, "kid", "no-such-key")) + "." + rawPayload + "." + signature,
          "alg none", ServerEnv.b64(Map.of("alg", "none", "kid", ownKid)) + "." + rawPayload + ".",
          "no kid", ServerEnv.b64(with(header, "kid", null)) + "." + rawPayload + "." + signature,
          "not a JWS", "not-a-jws",
          "empty", "",
          "three dots of junk", "a.b.c");
      Map<String, String> got = new LinkedHashMap<>();
      cases.keySet().forEach(name -> got.put(name, codeOf(v, assertions.get(name))));
      assertEquals(cases, got);

      SessionAssertionException wrongIssuer = assertThrows(SessionAssertionException.class,
          () -> env.verifier(b -> b.issuer("https://someone-else.example")).verify(a));
      assertEquals(Code.WRONG_ISSUER, wrongIssuer.code());
      assertEquals(Code.WRONG_AUDIENCE, assertThrows(SessionAssertionException.class,
          () -> env.verifier(b -> b.audience("shop-backend")).verify(a)).code());
    }

    @Test
    void refusesAnExpiredAssertionEvenACachedOneWithinFiveSecondsOfLeeway() throws Exception {
      Session s = env.newSession();
      SessionVerifier v = env.verifier();
      Instant exp = v.verify(s.assertion()).expiresAt();
      env.clock.advance(env.clock.until(exp).plusSeconds(4)); // 4 s late: within the leeway
      assertEquals("verified", codeOf(v, s.assertion()));
      env.clock.advance(Duration.ofSeconds(2)); // 6 s late
      SessionAssertionException expired = assertThrows(SessionAssertionException.class, () -> v.verify(s.assertion()));
      assertEquals(Code.EXPIRED, expired.code());
      env.clock.reset();
      env.clock.advance(env.clock.until(exp).plusSeconds(1));
      assertEquals("expired", codeOf(env.verifier(b -> b.leeway(Duration.ZERO)), s.assertion()));
    }

    @Test
    void refetchesForAnUnknownKidAtMostOncePer30Seconds() {
      Session s = env.newSession();
      SessionVerifier v = env.verifier();
      v.verify(s.assertion());
      String rest = "." + ServerEnv.raw(s.assertion(), 1) + "." + ServerEnv.raw(s.assertion(), 2);
      for (int n = 0; n < 50; n++) {
        assertEquals("unknown_key", codeOf(v, ServerEnv.b64(Map.of("alg", "EdDSA", "kid", "garbage-" + n)) + rest));
      }
      assertEquals(1, env.fetches.get(), "fetched just now: no refetch yet");
      env.clock.advance(SessionVerifier.REFETCH_COOLDOWN);
      for (int n = 50; n < 100; n++) {
        assertEquals("unknown_key", codeOf(v, ServerEnv.b64(Map.of("alg", "EdDSA", "kid", "garbage-" + n)) + rest));
      }
      assertEquals(2, env.fetches.get(), "one refetch for the whole burst");
      assertEquals(2, v.stats().keyFetches());
    }

    @Test
    void refreshesTheHeldKeySetOnItsSchedule() throws Exception {
      Session s = env.newSession();
      SessionVerifier v = env.verifier(b -> b.refreshInterval(Duration.ofMinutes(1)).cacheSize(0));
      v.verify(s.assertion());
      env.clock.advance(Duration.ofSeconds(59));
      v.verify(s.assertion());
      assertEquals(1, env.fetches.get());
      env.clock.advance(Duration.ofSeconds(1));
      v.verify(s.assertion()); // answered from the held set while the refresh runs
      for (int i = 0; i < 500 && env.fetches.get() != 2; i++) {
        Thread.sleep(10);
      }
      assertEquals(2, env.fetches.get());
    }

    @Test
    void concurrentVerifiesShareOneKeyFetch() throws Exception {
      Session s = env.newSession();
      SessionVerifier v = env.verifier(b -> b.cacheSize(0));
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SessionClaims>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          results.add(pool.submit(() -> {
            go.await();
            return v.verify(s.assertion());
          }));
        }
        go.countDown();
        for (Future<SessionClaims> result : results) {
          assertEquals(s.sessionId(), result.get().sessionId());
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(1, env.fetches.get());
    }
  }

  @Nested
  class Check {
    @Test
    void makesNoServerCallWhileTheAssertionIsFreshAndARepeatVerifiesNoSignature() {
      Session s = env.newSession();
      SessionVerifier v = env.verifier();
      CheckResult first = v.check(s.token(), s.assertion()).orElseThrow();
      assertFalse(first.fromServer());
      assertEquals(s.assertion(), first.assertion());
      assertEquals(s.accountId(), first.user().accountId());
      assertEquals(s.sessionId(), first.user().sessionId());
      long checks = v.stats().signatureChecks();
      for (int i = 0; i < 20; i++) {
        assertSame(first.user(), v.check(s.token(), s.assertion()).orElseThrow().user()); // the cached claims
      }
      assertEquals(checks, v.stats().signatureChecks());
      assertEquals(20, v.stats().cacheHits());
      assertEquals(0, env.callsTo("VerifySession"));
    }

    @Test
    void makesExactlyOneVerifySessionWhenTheAssertionIsStale() throws Exception {
      Session s = env.newSession();
      SessionVerifier v = env.verifier();
      env.clock.advance(env.clock.until(expOf(s.assertion())).plusSeconds(6)); // past exp and the leeway
      CheckResult renewed = v.check(s.token(), s.assertion()).orElseThrow();
      assertEquals(1, env.callsTo("VerifySession"));
      assertTrue(renewed.fromServer());
      assertEquals(s.sessionId(), renewed.user().sessionId());
      // The server's clock did not move: back on it, the new assertion answers with no call.
      env.clock.reset();
      assertFalse(v.check(s.token(), renewed.assertion()).orElseThrow().fromServer());
      assertEquals(1, env.callsTo("VerifySession"));
      // No assertion at all, or a forged one: one call each, never a local yes.
      assertTrue(v.check(s.token(), null).orElseThrow().fromServer());
      String forged = renewed.assertion().substring(0, renewed.assertion().length() - 4) + "AAAA";
      assertTrue(v.check(s.token(), forged).orElseThrow().fromServer());
      assertEquals(3, env.callsTo("VerifySession"));
      assertEquals(3, v.stats().serverCalls());
    }

    @Test
    void strictReportsARevokedSessionAtOnceWhileCheckKeepsTheDocumentedLag() {
      Session s = env.newSession();
      SessionVerifier v = env.verifier();
      env.accounts.logout(LogoutRequest.newBuilder().setSessionToken(s.token()).build());
      assertTrue(v.check(s.token(), s.assertion(), true).isEmpty());
      assertEquals(1, env.callsTo("VerifySession"));
      assertFalse(v.check(s.token(), s.assertion()).orElseThrow().fromServer());
      env.clock.advance(Duration.ofSeconds(306));
      assertTrue(v.check(s.token(), s.assertion()).isEmpty());
      assertEquals(2, env.callsTo("VerifySession"));
    }

    @Test
    void noTokenAndNoUsableAssertionAsksNobody() {
      SessionVerifier v = env.verifier();
      assertTrue(v.check("", null).isEmpty());
      assertTrue(v.check("", "not-a-jws").isEmpty());
      assertEquals(0, env.callsTo("VerifySession"));
      assertTrue(v.check("uhs_" + "A".repeat(43), null).isEmpty());
      assertEquals(1, env.callsTo("VerifySession"));
    }

    @Test
    void keepsAtMostCacheSizeVerifiedAssertionsAndNoneWithTheCacheOff() {
      List<Session> sessions = List.of(env.newSession(), env.newSession(), env.newSession());
      SessionVerifier v = env.verifier(b -> b.cacheSize(2));
      sessions.forEach(s -> v.verify(s.assertion()));
      v.verify(sessions.get(2).assertion()); // still held
      assertEquals(3, v.stats().signatureChecks());
      v.verify(sessions.get(0).assertion()); // evicted: verified again
      assertEquals(4, v.stats().signatureChecks());
      SessionVerifier off = env.verifier(b -> b.cacheSize(0));
      for (int i = 0; i < 3; i++) {
        off.verify(sessions.get(0).assertion());
      }
      assertEquals(3, off.stats().signatureChecks());
      assertEquals(0, off.stats().cacheHits());
    }
  }

  @Test
  void theJoseLibrarysErrorIsTheCause() throws Exception {
    Session s = env.newSession();
    String a = s.assertion();
    String tampered = ServerEnv.raw(a, 0) + "."
        + ServerEnv.b64(with(ServerEnv.part(a, 1), "username", "admin")) + "." + ServerEnv.raw(a, 2);
    SessionAssertionException bad = assertThrows(SessionAssertionException.class, () -> env.verifier().verify(tampered));
    assertEquals(Code.BAD_SIGNATURE, bad.code());
    SessionAssertionException junk = assertThrows(SessionAssertionException.class, () -> env.verifier().verify("a.b.c"));
    assertInstanceOf(java.text.ParseException.class, junk.getCause());
  }
}
