package dev.userharbor.spring;

import dev.userharbor.v1.GetCurrentUserRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the Spring tests run: handlers with each guard, a controller-wide guard, the
 * app's own UserHarbor call, and its own {@code userHarborChannel} (the documented override)
 * that counts the calls the integration makes.
 */
@SpringBootApplication
@RestController
public class TestApp {
  /** Bare method names of the RPCs made through the integration's channel. */
  public static final class Calls {
    final List<String> made = new CopyOnWriteArrayList<>();

    long to(String method) {
      return made.stream().filter(method::equals).count();
    }
  }

  /** Beans apart from the handlers (which need the UserHarbor these make). */
  @Configuration
  static class Beans {
    @Bean
    Calls calls() {
      return new Calls();
    }

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel userHarborChannel(UserHarborProperties properties, Calls calls) {
      ClientInterceptor count = new ClientInterceptor() {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
          calls.made.add(method.getBareMethodName());
          return next.newCall(method, options);
        }
      };
      String target = properties.url().getHost() + ":" + properties.url().getPort();
      return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).intercept(count).build();
    }
  }

  private final UserHarbor userHarbor;

  TestApp(UserHarbor userHarbor) {
    this.userHarbor = userHarbor;
  }

  @RequireUser
  @GetMapping("/me")
  Map<String, Object> me(UserHarborUser user) {
    return Map.of("id", user.accountId(), "username", user.username(), "sessionId", user.sessionId());
  }

  @OptionalUser
  @GetMapping("/maybe")
  Map<String, Object> maybe(UserHarborUser user) {
    return Map.of("user", user == null ? "anonymous" : user.username());
  }

  @RequireVerifiedEmail
  @GetMapping("/verified")
  Map<String, Object> verified(UserHarborUser user) {
    return Map.of("username", user.username());
  }

  @RequireUser
  @PostMapping("/notes")
  Map<String, Object> note(UserHarborUser user) {
    return Map.of("by", user.username());
  }

  /** The app's own call with a token UserHarbor does not know: the exception handler answers. */
  @GetMapping("/own-call")
  String ownCall() {
    userHarbor.accounts().getCurrentUser(GetCurrentUserRequest.newBuilder().setSessionToken("uhs_" + "Z".repeat(43)).build());
    return "unreachable";
  }

  /** What the integration would send as the ClientContext, and the origin CSRF compares with. */
  @GetMapping("/client")
  Map<String, Object> client(HttpServletRequest request) {
    return Map.of("ip", userHarbor.clientContext(request).getIp(), "userAgent", userHarbor.clientContext(request).getUserAgent(),
        "origin", CrossSiteCheck.ownOrigin(request));
  }

  /** A UserHarborUser parameter without a guard is a mistake the resolver names. */
  @GetMapping("/unguarded")
  String unguarded(UserHarborUser user) {
    return String.valueOf(user);
  }

  /** Every handler strict, one of them optional instead (its own guard wins). */
  @RestController
  @RequireUser(strict = true)
  static class StrictController {
    @GetMapping("/strict/me")
    String me(UserHarborUser user) {
      return user.username();
    }

    @OptionalUser
    @GetMapping("/strict/maybe")
    String maybe(UserHarborUser user) {
      return user == null ? "anonymous" : user.username();
    }
  }
}
