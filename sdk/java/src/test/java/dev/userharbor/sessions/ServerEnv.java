package dev.userharbor.sessions;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.userharbor.v1.AccountServiceGrpc;
import dev.userharbor.v1.ListSessionsRequest;
import dev.userharbor.v1.LoginRequest;
import dev.userharbor.v1.LoginResponse;
import dev.userharbor.v1.RegisterRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One test's view of a real UserHarbor server: test/sdk/verifiers.test.ts starts one and runs
 * {@code mvn test} with UH_SERVER_URL set; without it the server tests are skipped. RPCs made
 * through {@link #accounts} are counted by a client interceptor, key fetches by a wrapping
 * KeyFetcher; {@link #clock} is real time plus an offset the test moves.
 */
final class ServerEnv implements AutoCloseable {
  static final String PASSWORD = "verifier correct horse battery";

  /** Real time plus an offset, like the server's manual clock. */
  static final class TestClock extends Clock {
    final AtomicLong offsetMillis = new AtomicLong();

    @Override
    public Instant instant() {
      return Instant.now().plusMillis(offsetMillis.get());
    }

    void advance(Duration d) {
      offsetMillis.addAndGet(d.toMillis());
    }

    void reset() {
      offsetMillis.set(0);
    }

    Duration until(Instant t) {
      return Duration.between(instant(), t);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  record Session(String username, String token, String assertion, String accountId, String sessionId) {}

  final String url;
  final TestClock clock = new TestClock();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final AtomicLong fetches = new AtomicLong();
  final AccountServiceGrpc.AccountServiceBlockingStub accounts;
  private final ManagedChannel channel;

  ServerEnv() {
    url = System.getenv("UH_SERVER_URL");
    assumeTrue(url != null && !url.isEmpty(), "UH_SERVER_URL is not set: run through test/sdk/verifiers.test.ts");
    channel = Grpc.newChannelBuilder(url.replaceFirst("^http://", ""), InsecureChannelCredentials.create()).build();
    ClientInterceptor count = new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        calls.add(method.getBareMethodName());
        return next.newCall(method, options);
      }
    };
    accounts = AccountServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel, count));
  }

  long callsTo(String method) {
    return calls.stream().filter(method::equals).count();
  }

  /** A verifier on this env's clock, its key fetches counted; {@code options} may change any option. */
  SessionVerifier verifier(Consumer<SessionVerifier.Builder> options) {
    KeyFetcher http = KeyFetcher.http(URI.create(url + "/.well-known/jwks.json"));
    SessionVerifier.Builder builder = SessionVerifier.builder()
        .keyFetcher(() -> {
          fetches.incrementAndGet();
          return http.fetch();
        })
        .issuer("userharbor")
        .client(accounts::verifySession)
        .clock(clock);
    options.accept(builder);
    return builder.build();
  }

  SessionVerifier verifier() {
    return verifier(b -> {});
  }

  /** Registers an account and logs in (the server runs with REQUIRE_VERIFIED_EMAIL=false). */
  Session newSession() {
    String name = "java" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 10);
    String id = accounts.register(RegisterRequest.newBuilder()
        .setUsername(name).setEmail(name + "@example.com").setPassword(PASSWORD).build()).getUser().getId();
    LoginResponse login = accounts.login(LoginRequest.newBuilder().setUsername(name).setPassword(PASSWORD).build());
    String sid = accounts.listSessions(ListSessionsRequest.newBuilder().setSessionToken(login.getSessionToken()).build())
        .getSessions(0).getId();
    return new Session(name, login.getSessionToken(), login.getSessionAssertion(), id, sid);
  }

  /** Part {@code i} (0 header, 1 payload) of a compact JWS, as a JSON object. */
  static Map<String, Object> part(String jws, int i) throws Exception {
    return JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(jws.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  static String raw(String jws, int i) {
    return jws.split("\\.", -1)[i];
  }

  static String b64(Map<String, ?> json) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
