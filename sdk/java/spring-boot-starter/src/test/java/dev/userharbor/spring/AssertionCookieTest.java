package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The assertion cookie is bound to its session token (docs/integrations.md §2). */
class AssertionCookieTest {
  @Test
  void bindsWithTheBase64urlSha256OfTheTokenAndReadsBackOnlyForThatToken() throws Exception {
    String token = "uhs_" + "T".repeat(43);
    String tag = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    String cookie = AssertionCookie.bind("h.p.s", token);
    assertThat(cookie).isEqualTo("h.p.s~" + tag);
    assertThat(AssertionCookie.bound(cookie, token)).isEqualTo("h.p.s");
    assertThat(AssertionCookie.bound(cookie, "uhs_" + "U".repeat(43))).isNull();
    assertThat(AssertionCookie.bound("h.p.s", token)).as("no tag").isNull();
    assertThat(AssertionCookie.bound("h.p.s~", token)).isNull();
    assertThat(AssertionCookie.bound(null, token)).isNull();
  }
}
