package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.userharbor.v1.RegisterRequest;
import jakarta.servlet.http.Cookie;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/** {@code userharbor.insecure-dev-cookies}: the login's cookies without Secure, under names without {@code __Host-}. */
@EnabledIfEnvironmentVariable(named = "UH_SERVER_URL", matches = ".+", disabledReason = "needs a UserHarbor server")
@SpringBootTest(properties = {
    "userharbor.url=${UH_SERVER_URL}",
    "userharbor.login-path=/auth/login",
    "userharbor.logout-path=/auth/logout",
    "userharbor.insecure-dev-cookies=true",
    "userharbor.cookies.device-max-age=7d",
})
@AutoConfigureMockMvc
class UserHarborDevCookiesTest {
  @Autowired MockMvc mvc;
  @Autowired UserHarbor userHarbor;

  @Test
  void loginAndLogoutCookiesWithoutSecure() throws Exception {
    String name = "springdev" + System.nanoTime();
    userHarbor.accounts().register(RegisterRequest.newBuilder()
        .setUsername(name).setEmail(name + "@example.com").setPassword(UserHarborMvcTest.PASSWORD).build());
    MockHttpServletResponse login = mvc.perform(post("/auth/login").contentType("application/json")
        .content("{\"username\":\"" + name + "\",\"password\":\"" + UserHarborMvcTest.PASSWORD + "\"}")).andReturn().getResponse();
    assertThat(login.getStatus()).as(login.getContentAsString()).isEqualTo(200);
    assertThat(login.getHeader("Cache-Control")).isEqualTo("no-store");
    List<String> set = login.getHeaders("Set-Cookie");
    assertThat(set).extracting(c -> c.substring(0, c.indexOf('='))).containsExactly("uh_session", "uh_assertion", "uh_device");
    assertThat(set).allSatisfy(c -> assertThat(c).contains("; Path=/").contains("; HttpOnly").contains("; SameSite=Lax")
        .doesNotContain("Secure").doesNotContain("Domain"));
    assertThat(login.getCookie("uh_device").getMaxAge()).isEqualTo(7 * 24 * 3600);
    assertThat(login.getContentAsString()).doesNotContain(login.getCookie("uh_session").getValue());

    Cookie session = new Cookie("uh_session", login.getCookie("uh_session").getValue());
    Cookie assertion = new Cookie("uh_assertion", login.getCookie("uh_assertion").getValue());
    assertThat(mvc.perform(get("/me").cookie(session, assertion)).andReturn().getResponse().getStatus()).isEqualTo(200);
    MockHttpServletResponse logout = mvc.perform(post("/auth/logout").cookie(session, assertion)).andReturn().getResponse();
    assertThat(logout.getStatus()).isEqualTo(204);
    assertThat(logout.getHeaders("Set-Cookie")).hasSize(2).allSatisfy(c -> assertThat(c)
        .matches("uh_(session|assertion)=; Path=/; Max-Age=0; Expires=[^;]+; HttpOnly; SameSite=Lax"));
  }
}
