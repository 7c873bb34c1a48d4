package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;

/**
 * A UserHarbor that accepts connections and never answers (gRPC and the key set alike): every
 * call ends at the configured deadline as 503 problem+json with Retry-After, never a hang, a 500
 * or a stack trace.
 */
// Spring contexts start only in the run against a server (sdk-tests.sh run), not in every build.
@EnabledIfEnvironmentVariable(named = "UH_SERVER_URL", matches = ".+", disabledReason = "runs with the server suites")
@SpringBootTest(properties = {"userharbor.deadline=300ms", "userharbor.login-path=/login", "userharbor.logout-path=/logout"})
@AutoConfigureMockMvc
class UserHarborDeadlineTest {
  private static final ServerSocket SILENT;
  private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

  static {
    try {
      SILENT = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread accept = new Thread(() -> {
      while (!SILENT.isClosed()) {
        try {
          HELD.add(SILENT.accept()); // held open, never read from or written to
        } catch (IOException closed) {
          return;
        }
      }
    }, "silent-userharbor");
    accept.setDaemon(true);
    accept.start();
  }

  @DynamicPropertySource
  static void silentUserHarbor(DynamicPropertyRegistry registry) {
    registry.add("userharbor.url", () -> "http://127.0.0.1:" + SILENT.getLocalPort());
  }

  @AfterAll
  static void close() throws IOException {
    SILENT.close();
    for (Socket socket : HELD) {
      socket.close();
    }
  }

  @Autowired MockMvc mvc;

  private MockHttpServletResponse timed(RequestBuilder request) throws Exception {
    long start = System.nanoTime();
    MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
    long millis = (System.nanoTime() - start) / 1_000_000;
    // At most the key set fetch and one call, each bounded by the 300 ms deadline (plus slack for a busy machine).
    assertThat(millis).as("answered in %d ms", millis).isLessThan(3_000);
    return response;
  }

  private static void assertUnavailable(MockHttpServletResponse response) throws Exception {
    assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(503);
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    assertThat(Integer.parseInt(response.getHeader("Retry-After"))).isGreaterThanOrEqualTo(1);
    assertThat(UserHarborProblem.JSON.readValue(response.getContentAsByteArray(), new tools.jackson.core.type.TypeReference<Map<String, Object>>() {}))
        .containsEntry("code", "USERHARBOR_UNAVAILABLE").containsEntry("status", 503);
    assertThat(response.getContentAsString()).doesNotContain("127.0.0.1").doesNotContain("DEADLINE").doesNotContain("at io.grpc");
  }

  private static String b64(String text) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aSilentUserHarborIs503AtTheDeadline() throws Exception {
    String token = "uhs_" + "A".repeat(43);
    Cookie session = new Cookie("__Host-uh_session", token);
    assertUnavailable(timed(get("/me").header("Authorization", "Bearer " + token)));
    // A cookie with a (bound, well-formed) assertion: the key set fetch times out, then VerifySession does.
    String jws = b64("{\"alg\":\"EdDSA\",\"kid\":\"k1\"}") + "." + b64("{\"sub\":\"x\"}") + "." + b64("sig");
    assertUnavailable(timed(get("/me").cookie(session, new Cookie("__Host-uh_assertion", AssertionCookie.bind(jws, token)))));
    assertUnavailable(timed(get("/strict/me").cookie(session)));
    assertUnavailable(timed(post("/login").contentType("application/json").content("{\"username\":\"a\",\"password\":\"b\"}")));
    MockHttpServletResponse logout = timed(post("/logout").cookie(session));
    assertUnavailable(logout);
    assertThat(logout.getHeaders("Set-Cookie")).as("cookies kept, so the user can retry").isEmpty();
  }
}
