package dev.userharbor.sessions;

import dev.userharbor.v1.AccountServiceGrpc;
import dev.userharbor.v1.GetSessionKeysRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Returns the service's current JWK Set as JSON text. */
@FunctionalInterface
public interface KeyFetcher {
  String fetch() throws Exception;

  /** GETs {@code uri} (the service's {@code /.well-known/jwks.json}), giving up after 5 s. */
  static KeyFetcher http(URI uri) {
    return http(uri, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(5));
  }

  /** GETs {@code uri} with {@code client}, each request bounded by {@code timeout}. */
  static KeyFetcher http(URI uri, HttpClient client, Duration timeout) {
    return () -> {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
          .header("Accept", "application/jwk-set+json, application/json").GET().build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + uri + " answered " + response.statusCode());
      }
      return response.body();
    };
  }

  /** GetSessionKeys through a generated stub, for backends that reach UserHarbor only over gRPC. */
  static KeyFetcher getSessionKeys(AccountServiceGrpc.AccountServiceBlockingStub stub) {
    return () -> stub.getSessionKeys(GetSessionKeysRequest.getDefaultInstance()).getJwksJson();
  }
}
