package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The client address and the app's own origin come from Tomcat's RemoteIpValve
 * ({@code server.forward-headers-strategy=native}), which believes X-Forwarded-* only from the
 * proxies in {@code server.tomcat.remoteip.internal-proxies} (CIDRs): real HTTP to a real
 * Tomcat. The session here is junk, so the guarded POST answers 401 when CSRF lets it through
 * and 403 when it does not, with no call to UserHarbor (none runs).
 */
// Spring contexts start only in the run against a server (sdk-tests.sh run), not in every build.
@EnabledIfEnvironmentVariable(named = "UH_SERVER_URL", matches = ".+", disabledReason = "runs with the server suites")
class ForwardedHeadersTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> send(int port, String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("Cookie", "__Host-uh_session=not-a-session-token")
        .header("User-Agent", "forwarded-test/1");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, Object> client(int port, String... headers) throws Exception {
    return UserHarborProblem.JSON.readValue(send(port, "GET", "/client", headers).body(), new tools.jackson.core.type.TypeReference<>() {});
  }

  static final String[] FROM_PROXY = {
      "X-Forwarded-For", "198.51.100.9, 203.0.113.7", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "app.example.com"};

  @Nested
  @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
      "userharbor.url=http://127.0.0.1:9",
      "server.forward-headers-strategy=native",
      "server.tomcat.remoteip.internal-proxies=127.0.0.1/32",
  })
  class BehindATrustedProxy {
    @LocalServerPort int port;

    @Test
    void believesTheProxyForTheAddressAndTheOrigin() throws Exception {
      // The rightmost untrusted hop is the client; the spoofable left part is ignored.
      assertThat(client(port, FROM_PROXY)).containsEntry("ip", "203.0.113.7")
          .containsEntry("origin", "https://app.example.com:443").containsEntry("userAgent", "forwarded-test/1");
      assertThat(client(port)).containsEntry("ip", "127.0.0.1");
      assertThat(send(port, "POST", "/notes", concat(FROM_PROXY, "Origin", "https://app.example.com")).statusCode()).isEqualTo(401);
      assertThat(send(port, "POST", "/notes", concat(FROM_PROXY, "Origin", "http://127.0.0.1:" + port)).statusCode()).isEqualTo(403);
    }
  }

  @Nested
  @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
      "userharbor.url=http://127.0.0.1:9",
      "server.forward-headers-strategy=native",
      "server.tomcat.remoteip.internal-proxies=",
  })
  class TrustingNoProxy {
    @LocalServerPort int port;

    @Test
    void ignoresForwardedHeadersFromThePeer() throws Exception {
      assertThat(client(port, FROM_PROXY)).containsEntry("ip", "127.0.0.1")
          .containsEntry("origin", "http://127.0.0.1:" + port);
      assertThat(send(port, "POST", "/notes", concat(FROM_PROXY, "Origin", "https://app.example.com")).statusCode()).isEqualTo(403);
      assertThat(send(port, "POST", "/notes", concat(FROM_PROXY, "Origin", "http://127.0.0.1:" + port)).statusCode()).isEqualTo(401);
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
