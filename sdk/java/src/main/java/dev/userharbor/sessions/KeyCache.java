package dev.userharbor.sessions;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The key set, fetched once and then kept: refreshed on {@code executor} once it is {@code
 * refreshInterval} old (verification goes on with the copy held meanwhile), refetched at once for
 * a kid it does not hold, every fetch at most once per {@link SessionVerifier#REFETCH_COOLDOWN}.
 * Thread-safe; concurrent callers share one fetch.
 */
final class KeyCache {
  private record Held(Map<String, Ed25519Verifier> verifiers, Instant fetchedAt) {}

  private final KeyFetcher fetcher;
  private final Duration refreshInterval;
  private final Clock clock;
  private final Executor executor;

  private Held held;
  private CompletableFuture<Held> inFlight;
  private Instant lastAttempt;
  private long fetches;

  KeyCache(KeyFetcher fetcher, Duration refreshInterval, Clock clock, Executor executor) {
    this.fetcher = fetcher;
    this.refreshInterval = refreshInterval;
    this.clock = clock;
    this.executor = executor;
  }

  synchronized long fetches() {
    return fetches;
  }

  /**
   * A verifier for the key named {@code kid}, or null when the set (after any refetch allowed)
   * has none.
   *
   * @throws KeySetUnavailableException when no set could be fetched yet
   */
  Ed25519Verifier verifierFor(String kid) {
    Held had;
    CompletableFuture<Held> wait = null;
    boolean mine = false;
    synchronized (this) {
      had = held;
      if (had == null) {
        wait = inFlight;
        if (wait == null) {
          if (!mayFetch()) {
            throw new KeySetUnavailableException(
                "the last key set fetch failed; retrying after " + SessionVerifier.REFETCH_COOLDOWN, null);
          }
          wait = start();
          mine = true;
        }
      } else if (!had.verifiers().containsKey(kid)) {
        // A key the set did not have when fetched may have been published since.
        wait = inFlight;
        if (wait == null && mayFetch()) {
          wait = start();
          mine = true;
        }
      } else if (Duration.between(had.fetchedAt(), clock.instant()).compareTo(refreshInterval) >= 0
          && inFlight == null && mayFetch()) {
        CompletableFuture<Held> background = start();
        executor.execute(() -> run(background)); // verification goes on with the held copy
      }
    }
    if (wait == null) {
      return had.verifiers().get(kid);
    }
    if (mine) {
      run(wait);
    }
    try {
      return wait.join().verifiers().get(kid);
    } catch (RuntimeException failed) {
      if (had == null) {
        throw failed.getCause() instanceof KeySetUnavailableException unavailable ? unavailable : failed;
      }
      return had.verifiers().get(kid); // keep using what we had
    }
  }

  private boolean mayFetch() {
    return lastAttempt == null
        || Duration.between(lastAttempt, clock.instant()).compareTo(SessionVerifier.REFETCH_COOLDOWN) >= 0;
  }

  /** Claims the next fetch; the monitor must be held. */
  private CompletableFuture<Held> start() {
    lastAttempt = clock.instant();
    fetches++;
    inFlight = new CompletableFuture<>();
    return inFlight;
  }

  private void run(CompletableFuture<Held> call) {
    Held loaded = null;
    Throwable failure = null;
    try {
      loaded = new Held(ed25519Verifiers(fetcher.fetch()), clock.instant());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      failure = new KeySetUnavailableException("fetching the key set failed: " + e, e);
    } catch (Error e) { // still complete the fetch (nobody may wait for it forever), then rethrow
      failure = e;
      throw e;
    } finally {
      synchronized (this) {
        if (loaded != null) {
          held = loaded;
        }
        inFlight = null;
      }
      if (loaded != null) {
        call.complete(loaded);
      } else {
        call.completeExceptionally(failure);
      }
    }
  }

  /** The Ed25519 signature keys of a JWK Set, by kid; anything else in it is ignored. */
  private static Map<String, Ed25519Verifier> ed25519Verifiers(String json) throws Exception {
    Map<String, Ed25519Verifier> verifiers = new HashMap<>();
    for (JWK jwk : JWKSet.parse(json).getKeys()) {
      if (jwk instanceof OctetKeyPair okp
          && Curve.Ed25519.equals(okp.getCurve())
          && okp.getKeyID() != null
          && !okp.isPrivate()
          && (okp.getKeyUse() == null || KeyUse.SIGNATURE.equals(okp.getKeyUse()))) {
        try {
          verifiers.put(okp.getKeyID(), new Ed25519Verifier(okp));
        } catch (JOSEException unusable) {
          // skip it, as the other SDKs do
        }
      }
    }
    return Map.copyOf(verifiers);
  }
}
