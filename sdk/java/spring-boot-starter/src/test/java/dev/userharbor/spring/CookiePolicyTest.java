package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userharbor.spring.CookiePolicy.Kind;
import jakarta.servlet.http.Cookie;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Cookie names and attributes (docs/integrations.md §2), with and without the development flag. */
class CookiePolicyTest {
  private static UserHarborProperties.Cookies names(String session, String assertion, String device) {
    return new UserHarborProperties.Cookies(session, assertion, device, Duration.ofDays(180));
  }

  private static final UserHarborProperties.Cookies DEFAULTS = names(null, null, null);

  @Test
  void secureByDefault() {
    CookiePolicy policy = new CookiePolicy(DEFAULTS, false);
    assertThat(policy.name(Kind.SESSION)).isEqualTo("__Host-uh_session");
    assertThat(policy.name(Kind.ASSERTION)).isEqualTo("__Host-uh_assertion");
    assertThat(policy.name(Kind.DEVICE)).isEqualTo("__Host-uh_device");
    assertThat(policy.set(Kind.SESSION, "uhs_abc", 3600).toString())
        .isEqualTo("__Host-uh_session=uhs_abc; Path=/; Max-Age=3600; Expires=%s; Secure; HttpOnly; SameSite=Lax",
            policy.set(Kind.SESSION, "uhs_abc", 3600).toString().replaceAll(".*Expires=([^;]+);.*", "$1"));
    assertThat(policy.set(Kind.DEVICE, "uhd_x", policy.deviceMaxAge().toSeconds()).getMaxAge()).isEqualTo(Duration.ofDays(180));
    assertThat(policy.set(Kind.ASSERTION, "a", -5).getMaxAge()).isEqualTo(Duration.ZERO);
    assertThat(policy.clear(Kind.ASSERTION).toString())
        .startsWith("__Host-uh_assertion=; Path=/; Max-Age=0;")
        .contains("; Secure; HttpOnly; SameSite=Lax")
        .doesNotContain("Domain");
  }

  @Test
  void developmentFlagDropsSecureAndTheHostPrefix() {
    CookiePolicy policy = new CookiePolicy(DEFAULTS, true);
    assertThat(policy.secure()).isFalse();
    assertThat(policy.name(Kind.SESSION)).isEqualTo("uh_session");
    assertThat(policy.name(Kind.ASSERTION)).isEqualTo("uh_assertion");
    assertThat(policy.name(Kind.DEVICE)).isEqualTo("uh_device");
    String cookie = policy.set(Kind.SESSION, "uhs_abc", 60).toString();
    assertThat(cookie).startsWith("uh_session=uhs_abc; Path=/; Max-Age=60;").contains("HttpOnly; SameSite=Lax")
        .doesNotContain("Secure");
  }

  @Test
  void configuredNamesAndTheirMistakes() {
    CookiePolicy policy = new CookiePolicy(names("sid", null, "dev"), false);
    assertThat(policy.name(Kind.SESSION)).isEqualTo("sid");
    assertThat(policy.name(Kind.ASSERTION)).isEqualTo("__Host-uh_assertion");
    assertThat(policy.name(Kind.DEVICE)).isEqualTo("dev");
    assertThatThrownBy(() -> new CookiePolicy(names("__Host-sid", null, null), true))
        .hasMessageContaining("__Host-sid").hasMessageContaining("without Secure");
    assertThatThrownBy(() -> new CookiePolicy(names(null, null, "__Secure-dev"), true)).hasMessageContaining("__Secure-dev");
    assertThatThrownBy(() -> new CookiePolicy(names("same", "same", null), false)).hasMessageContaining("differ");
    assertThatThrownBy(() -> new CookiePolicy(names("a b", null, null), false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CookiePolicy(new UserHarborProperties.Cookies(null, null, null, Duration.ofMillis(10)), false))
        .hasMessageContaining("device-max-age");
  }

  @Test
  void readsOnlyItsOwnNonEmptyCookies() {
    CookiePolicy policy = new CookiePolicy(DEFAULTS, false);
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setCookies(new Cookie("__Host-uh_session", "uhs_x"), new Cookie("__Host-uh_assertion", ""),
        new Cookie("uh_device", "uhd_not_ours"));
    assertThat(policy.read(request, Kind.SESSION)).contains("uhs_x");
    assertThat(policy.read(request, Kind.ASSERTION)).isEmpty();
    assertThat(policy.read(request, Kind.DEVICE)).isEmpty();
    assertThat(policy.read(new MockHttpServletRequest(), Kind.SESSION)).isEmpty();
  }
}
