package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userharbor.v1.ClientContext;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import jakarta.servlet.http.Cookie;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

/** The ClientContext a request becomes (docs/integrations.md §4); the channel is never dialled. */
class ClientContextTest {
  @ParameterizedTest(name = "{0} -> \"{1}\"")
  @CsvSource(nullValues = "-", value = {
      "192.0.2.1,            192.0.2.1",
      "::ffff:192.0.2.1,     192.0.2.1",
      "::FFFF:203.0.113.7,   203.0.113.7",
      "2001:db8::1,          2001:db8::1",
      "0:0:0:0:0:0:0:1,      0:0:0:0:0:0:0:1",
      "unknown,              ''",
      "192.0.2.300,          ''",
      "abc:xyz,              ''",
      "example.com,          ''",
      "'',                   ''",
      "-,                    ''",
  })
  void sendsTheAddressOnlyWhenItIsAnIpAddress(String remote, String sent) {
    assertThat(UserHarbor.ipOf(remote)).isEqualTo(sent);
  }

  @Test
  void takesTheUserAgentCutTo512AndTheDeviceCookie() {
    ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:9", InsecureChannelCredentials.create()).build();
    try {
      UserHarbor userHarbor = new UserHarbor(new UserHarborProperties(URI.create("http://127.0.0.1:9"), "", "userharbor",
          null, Duration.ofSeconds(2), Duration.ofSeconds(5), new UserHarborProperties.Cookies(null, null, null,
          Duration.ofDays(180)), false, List.of(), 10, null, null), channel);
      MockHttpServletRequest request = new MockHttpServletRequest();
      request.setRemoteAddr("::ffff:198.51.100.4");
      request.addHeader("User-Agent", "a".repeat(600));
      request.setCookies(new Cookie("__Host-uh_device", "uhd_123"));
      ClientContext context = userHarbor.clientContext(request);
      assertThat(context.getIp()).isEqualTo("198.51.100.4");
      assertThat(context.getUserAgent()).hasSize(512);
      assertThat(context.getDeviceToken()).isEqualTo("uhd_123");
      assertThat(userHarbor.clientContext(new MockHttpServletRequest()).getDeviceToken()).isEmpty();
    } finally {
      channel.shutdownNow();
    }
  }
}
