package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.userharbor.v1.RegisterRequest;
import jakarta.servlet.http.Cookie;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.core.type.TypeReference;

/**
 * What the example apps do not show, through MockMvc against a real UserHarbor (UH_SERVER_URL,
 * started by test/sdk/verifiers.test.ts with REQUIRE_VERIFIED_EMAIL=false): optional and
 * verified-email guards, controller-wide guards, CSRF on a guarded POST handler, the exception
 * handler for the app's own calls, malformed login bodies. RPCs are counted on the channel.
 */
@EnabledIfEnvironmentVariable(named = "UH_SERVER_URL", matches = ".+", disabledReason = "needs a UserHarbor server")
@SpringBootTest(properties = {
    "userharbor.url=${UH_SERVER_URL}",
    "userharbor.login-path=/login",
    "userharbor.logout-path=/logout",
    "userharbor.allowed-origins=https://admin.example.com",
})
@AutoConfigureMockMvc
class UserHarborMvcTest {
  static final String PASSWORD = "spring correct horse battery";
  static final String SESSION = "__Host-uh_session";
  static final String ASSERTION = "__Host-uh_assertion";

  @Autowired MockMvc mvc;
  @Autowired UserHarbor userHarbor;
  @Autowired TestApp.Calls calls;

  record Signed(String username, String session, String assertion) {
    Cookie[] cookies() {
      return new Cookie[] {new Cookie(SESSION, session), new Cookie(ASSERTION, assertion)};
    }
  }

  MockHttpServletResponse send(RequestBuilder request) throws Exception {
    return mvc.perform(request).andReturn().getResponse();
  }

  static Map<String, Object> json(MockHttpServletResponse response) throws Exception {
    return UserHarborProblem.JSON.readValue(response.getContentAsByteArray(), new TypeReference<>() {});
  }

  static void assertProblem(MockHttpServletResponse response, int status, String code) throws Exception {
    assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    assertThat(json(response)).containsEntry("type", "about:blank").containsEntry("status", status)
        .containsEntry("code", code).containsKeys("title", "detail");
  }

  String newUser() {
    String name = "spring" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 10);
    userHarbor.accounts().register(RegisterRequest.newBuilder()
        .setUsername(name).setEmail(name + "@example.com").setPassword(PASSWORD).build());
    return name;
  }

  MockHttpServletRequestBuilder login(String body) {
    return post("/login").contentType("application/json").content(body);
  }

  Signed signedIn() throws Exception {
    String name = newUser();
    MockHttpServletResponse reply = send(login("{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}"));
    assertThat(reply.getStatus()).as(reply.getContentAsString()).isEqualTo(200);
    return new Signed(name, reply.getCookie(SESSION).getValue(), reply.getCookie(ASSERTION).getValue());
  }

  @Test
  void optionalUserIsTheUserOrAnonymousNever401() throws Exception {
    Signed user = signedIn();
    assertThat(json(send(get("/maybe")))).containsEntry("user", "anonymous");
    assertThat(json(send(get("/maybe").cookie(user.cookies())))).containsEntry("user", user.username());
    assertThat(json(send(get("/maybe").header("Authorization", "Bearer " + user.session())))).containsEntry("user", user.username());
    // An unknown session is anonymous, and its cookies are cleared on the way.
    MockHttpServletResponse unknown = send(get("/maybe").cookie(new Cookie(SESSION, "uhs_" + "Q".repeat(43))));
    assertThat(unknown.getStatus()).isEqualTo(200);
    assertThat(json(unknown)).containsEntry("user", "anonymous");
    assertThat(unknown.getHeaders("Set-Cookie")).hasSize(2).allSatisfy(c -> assertThat(c).contains("Max-Age=0"));
  }

  @Test
  void verifiedEmailAsksUserHarborOnceBeforeRefusing() throws Exception {
    Signed user = signedIn(); // REQUIRE_VERIFIED_EMAIL=false: signed in, email not verified
    long before = calls.to("VerifySession");
    MockHttpServletResponse refused = send(get("/verified").cookie(user.cookies()));
    assertProblem(refused, 403, "EMAIL_NOT_VERIFIED");
    assertThat(calls.to("VerifySession")).isEqualTo(before + 1);
    // The fresh assertion from that call is kept, so the next refusal needs none.
    Cookie fresh = refused.getCookie(ASSERTION);
    assertThat(fresh).isNotNull();
    assertThat(send(get("/me").cookie(user.cookies())).getStatus()).isEqualTo(200);
    assertThat(calls.to("VerifySession")).isEqualTo(before + 1);
    assertProblem(send(get("/verified").header("Authorization", "Bearer " + user.session())), 403, "EMAIL_NOT_VERIFIED");
  }

  @Test
  void controllerWideGuardWithAMethodsOwnGuardWinning() throws Exception {
    Signed user = signedIn();
    long before = calls.to("VerifySession");
    assertThat(send(get("/strict/me").cookie(user.cookies())).getContentAsString()).isEqualTo(user.username());
    assertThat(send(get("/strict/me").cookie(user.cookies())).getStatus()).isEqualTo(200);
    assertThat(calls.to("VerifySession")).as("strict: a call each time").isEqualTo(before + 2);
    assertProblem(send(get("/strict/me")), 401, "INVALID_SESSION");
    assertThat(send(get("/strict/maybe")).getContentAsString()).isEqualTo("anonymous");
  }

  @Test
  void csrfOnAGuardedPostHandler() throws Exception {
    Signed user = signedIn();
    long checks = calls.to("VerifySession");
    for (String[] headers : List.of(
        new String[] {"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
        new String[] {"Sec-Fetch-Site", "same-site", "Origin", "https://sibling.example.com"},
        new String[] {"Origin", "https://evil.example"},
        new String[] {"Origin", "null"})) {
      MockHttpServletRequestBuilder request = post("/notes").cookie(user.cookies());
      for (int i = 0; i < headers.length; i += 2) {
        request.header(headers[i], headers[i + 1]);
      }
      assertProblem(send(request), 403, "CROSS_SITE_REQUEST");
    }
    assertThat(calls.to("VerifySession")).as("refused before any check").isEqualTo(checks);
    // Own origin (MockMvc's http://localhost), an allowed origin, no browser headers, and bearer.
    assertThat(send(post("/notes").cookie(user.cookies()).header("Sec-Fetch-Site", "same-origin")).getStatus()).isEqualTo(200);
    assertThat(send(post("/notes").cookie(user.cookies()).header("Origin", "http://localhost")).getStatus()).isEqualTo(200);
    assertThat(send(post("/notes").cookie(user.cookies())
        .header("Sec-Fetch-Site", "same-site").header("Origin", "https://admin.example.com")).getStatus()).isEqualTo(200);
    assertThat(send(post("/notes").cookie(user.cookies())).getStatus()).isEqualTo(200);
    assertThat(json(send(post("/notes").header("Authorization", "Bearer " + user.session())
        .header("Sec-Fetch-Site", "cross-site").header("Origin", "https://evil.example")))).containsEntry("by", user.username());
    // No session at all: the 401, not a CSRF refusal.
    assertProblem(send(post("/notes").header("Origin", "https://evil.example")), 401, "INVALID_SESSION");
  }

  @Test
  void theAppsOwnCallsGetTheSameProblemTable() throws Exception {
    MockHttpServletResponse reply = send(get("/own-call"));
    assertProblem(reply, 401, "INVALID_SESSION");
    assertThat(json(reply).get("detail")).isNotEqualTo("Unauthorized"); // UserHarbor's own message
  }

  @Test
  void malformedLoginBodiesAre400AndCallNothing() throws Exception {
    long logins = calls.to("Login");
    record Case(MockHttpServletRequestBuilder request, List<String> fields) {}
    for (Case c : List.of(
        new Case(post("/login").contentType("text/plain").content("{\"username\":\"a\",\"password\":\"b\"}"), List.of()),
        new Case(post("/login").content("{\"username\":\"a\",\"password\":\"b\"}"), List.of()),
        new Case(login("{\"username\":"), List.of()),
        new Case(login("[\"a\",\"b\"]"), List.of()),
        new Case(login("\"a\""), List.of()),
        new Case(login("{\"username\":\"a\",\"password\":\"" + "p".repeat(9000) + "\"}"), List.of()),
        new Case(login("{}"), List.of("username", "password")),
        new Case(login("{\"username\":\"\",\"password\":7}"), List.of("username", "password")),
        new Case(login("{\"username\":\"a\"}"), List.of("password")))) {
      MockHttpServletResponse reply = send(c.request());
      assertProblem(reply, 400, "INVALID_REQUEST");
      Object errors = json(reply).get("errors");
      if (c.fields().isEmpty()) {
        assertThat(errors).isNull();
      } else {
        assertThat(((List<?>) errors).stream().map(e -> ((Map<?, ?>) e).get("field")).toList()).isEqualTo(c.fields());
      }
      assertThat(reply.getHeaders("Set-Cookie")).isEmpty();
    }
    // application/*+json is JSON too.
    String name = newUser();
    assertThat(send(post("/login").contentType("application/vnd.api+json; charset=utf-8")
        .content("{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}")).getStatus()).isEqualTo(200);
    assertThat(calls.to("Login")).isEqualTo(logins + 1);
  }

  @Test
  void logoutWithABearerTokenEndsTheSessionAndSetsNoCookie() throws Exception {
    Signed user = signedIn();
    MockHttpServletResponse out = send(post("/logout").header("Authorization", "Bearer " + user.session())
        .header("Sec-Fetch-Site", "cross-site"));
    assertThat(out.getStatus()).isEqualTo(204);
    assertThat(out.getHeaders("Set-Cookie")).isEmpty();
    assertProblem(send(get("/strict/me").cookie(user.cookies())), 401, "INVALID_SESSION");
  }

  @Test
  void aUserParameterWithoutAGuardIsNamedAsAMistake() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> send(get("/unguarded")))
        .rootCause().hasMessageContaining("has no guard");
  }
}
