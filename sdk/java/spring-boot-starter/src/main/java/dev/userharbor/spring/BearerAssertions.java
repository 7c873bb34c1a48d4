package dev.userharbor.spring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API clients send only {@code Authorization: Bearer <session token>}: no cookie keeps their
 * assertion. This map does, keyed by the token's SHA-256 (no raw token in memory), bounded, least
 * recently used first out; so bearer requests are checked locally too. An assertion is found only
 * by the token it was issued for.
 */
final class BearerAssertions {
  private final Map<String, String> byTokenHash; // guarded by itself

  BearerAssertions(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("userharbor.bearer-assertions-max must be >= 1");
    }
    byTokenHash = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > maxEntries;
      }
    };
  }

  String get(String sessionToken) {
    synchronized (byTokenHash) {
      return byTokenHash.get(hash(sessionToken));
    }
  }

  void put(String sessionToken, String assertion) {
    synchronized (byTokenHash) {
      byTokenHash.put(hash(sessionToken), assertion);
    }
  }

  void remove(String sessionToken) {
    synchronized (byTokenHash) {
      byTokenHash.remove(hash(sessionToken));
    }
  }

  int size() {
    synchronized (byTokenHash) {
      return byTokenHash.size();
    }
  }

  private static String hash(String token) {
    return AssertionCookie.tagOf(token);
  }
}
