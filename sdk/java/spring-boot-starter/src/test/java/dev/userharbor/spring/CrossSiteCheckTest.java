package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CSRF decision table of docs/integrations.md §7, row by row. */
class CrossSiteCheckTest {
  private static final String OWN = "https://app.example.com:443";
  private final CrossSiteCheck check = new CrossSiteCheck(List.of("https://admin.example.com", "http://localhost:5173"));

  @ParameterizedTest(name = "{0} Sec-Fetch-Site={1} Origin={2}: refused={3}")
  @CsvSource(nullValues = "-", value = {
      // safe methods are never refused
      "GET,     cross-site,  https://evil.example,       false",
      "HEAD,    cross-site,  https://evil.example,       false",
      "OPTIONS, cross-site,  https://evil.example,       false",
      // Sec-Fetch-Site same-origin / none: allowed whatever the Origin
      "POST,    same-origin, https://evil.example,       false",
      "POST,    none,        -,                          false",
      "DELETE,  ' Same-Origin ', -,                      false",
      // any other Sec-Fetch-Site: only from an allowed Origin
      "POST,    cross-site,  https://evil.example,       true",
      "POST,    cross-site,  -,                          true",
      "POST,    same-site,   https://sibling.example.com, true",
      "POST,    same-site,   https://admin.example.com,  false",
      "POST,    cross-site,  http://localhost:5173,      false",
      "POST,    some-future-value, https://evil.example, true",
      "POST,    cross-site,  https://APP.example.com,    false",
      // no Sec-Fetch-Site: Origin must be allowed; none at all is a non-browser client
      "POST,    -,           -,                          false",
      "PUT,     -,           https://evil.example,       true",
      "POST,    -,           null,                       true",
      "POST,    -,           not a url,                  true",
      "POST,    -,           https://app.example.com,    false",
      "POST,    -,           https://app.example.com:443, false",
      "POST,    -,           http://app.example.com,     true",
      "PATCH,   -,           https://app.example.com:8443, true",
      "POST,    -,           https://admin.example.com/, false",
  })
  void decides(String method, String secFetchSite, String origin, boolean refused) {
    assertThat(check.refuses(method, secFetchSite, origin, OWN)).isEqualTo(refused);
  }

  @Test
  void normalizesOrigins() {
    assertThat(CrossSiteCheck.normalize("HTTPS://Example.COM:443")).contains("https://example.com");
    assertThat(CrossSiteCheck.normalize("http://example.com:80/")).contains("http://example.com");
    assertThat(CrossSiteCheck.normalize("http://[::1]:8080")).contains("http://[::1]:8080");
    assertThat(CrossSiteCheck.normalize("http://127.0.0.1:3000")).contains("http://127.0.0.1:3000");
    assertThat(CrossSiteCheck.normalize("null")).isEmpty();
    assertThat(CrossSiteCheck.normalize("ftp://example.com")).isEmpty();
    assertThat(CrossSiteCheck.normalize("file:///etc/passwd")).isEmpty();
  }

  @Test
  void refusesAllowedOriginsThatAreNotExactOrigins() {
    for (String bad : List.of("example.com", "https://example.com/app", "*", "null")) {
      assertThatThrownBy(() -> new CrossSiteCheck(List.of(bad)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
    }
  }
}
