package dev.userharbor.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What needs no server: option checks, and a key set that cannot be fetched. */
class SessionVerifierOptionsTest {
  @Test
  void withoutAKeySetItSaysSoAndRetriesOnlyAfterTheCooldown() {
    AtomicInteger fetches = new AtomicInteger();
    ServerEnv.TestClock clock = new ServerEnv.TestClock();
    SessionVerifier v = SessionVerifier.builder().issuer("userharbor").clock(clock)
        .keyFetcher(() -> {
          fetches.incrementAndGet();
          throw new java.io.IOException("connection refused");
        }).build();
    String assertion = ServerEnv.b64(Map.of("alg", "EdDSA", "kid", "k")) + "." + ServerEnv.b64(new HashMap<>()) + ".c2ln";
    for (int i = 0; i < 3; i++) {
      assertThrows(KeySetUnavailableException.class, () -> v.verify(assertion));
    }
    clock.advance(SessionVerifier.REFETCH_COOLDOWN);
    assertThrows(KeySetUnavailableException.class, () -> v.verify(assertion));
    assertEquals(2, fetches.get());
  }

  @Test
  void refusesBadOptions() {
    URI uri = URI.create("http://127.0.0.1:9/.well-known/jwks.json");
    List<java.util.function.Consumer<SessionVerifier.Builder>> bad = List.of(
        b -> b.jwksUri(uri).issuer("userharbor").leeway(Duration.ofSeconds(6)),
        b -> b.jwksUri(uri).issuer("userharbor").refreshInterval(Duration.ofSeconds(29)),
        b -> b.jwksUri(uri).issuer("userharbor").refreshInterval(Duration.ofMinutes(31)),
        b -> b.jwksUri(uri).issuer("userharbor").cacheSize(-1),
        b -> b.issuer("userharbor"),
        b -> b.jwksUri(uri).keyFetcher(() -> "{\"keys\":[]}").issuer("userharbor"),
        b -> b.jwksUri(uri));
    for (var options : bad) {
      SessionVerifier.Builder builder = SessionVerifier.builder();
      options.accept(builder);
      assertThrows(IllegalArgumentException.class, builder::build);
    }
    assertNotNull(SessionVerifier.builder().jwksUri(uri).issuer("userharbor").build());
  }

}
