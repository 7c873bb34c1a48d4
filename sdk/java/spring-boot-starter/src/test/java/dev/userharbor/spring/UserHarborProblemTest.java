package dev.userharbor.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.ErrorResponse;
import tools.jackson.core.type.TypeReference;

/** UserHarbor's errors as HTTP (docs/integrations.md §6), from real gRPC statuses with their details. */
class UserHarborProblemTest {
  private static StatusRuntimeException grpc(Code code, String message, com.google.protobuf.Message... details) {
    Status.Builder status = Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    for (com.google.protobuf.Message detail : details) {
      status.addDetails(Any.pack(detail));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  private static ErrorInfo reason(String reason) {
    return ErrorInfo.newBuilder().setDomain("userharbor.v1").setReason(reason).build();
  }

  private static RetryInfo retry(long seconds, int nanos) {
    return RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(seconds).setNanos(nanos)).build();
  }

  private static UserHarborProblem of(StatusRuntimeException error) {
    return UserHarborProblem.of(error).orElseThrow();
  }

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @CsvSource({
      "UNAUTHENTICATED,     INVALID_CREDENTIALS, 401, INVALID_CREDENTIALS",
      "UNAUTHENTICATED,     INVALID_SESSION,     401, INVALID_SESSION",
      "UNAUTHENTICATED,     INVALID_API_KEY,     502, INVALID_API_KEY",
      "PERMISSION_DENIED,   MISSING_SCOPE,       502, MISSING_SCOPE",
      "PERMISSION_DENIED,   SOMETHING_ELSE,      403, SOMETHING_ELSE",
      "INVALID_ARGUMENT,    WEAK_PASSWORD,       400, WEAK_PASSWORD",
      "OUT_OF_RANGE,        CURSOR_EXPIRED,      400, CURSOR_EXPIRED",
      "FAILED_PRECONDITION, EMAIL_NOT_VERIFIED,  403, EMAIL_NOT_VERIFIED",
      "FAILED_PRECONDITION, ACCOUNT_DISABLED,    403, ACCOUNT_DISABLED",
      "ALREADY_EXISTS,      USERNAME_TAKEN,      409, USERNAME_TAKEN",
      "NOT_FOUND,           SESSION_NOT_FOUND,   404, SESSION_NOT_FOUND",
      "RESOURCE_EXHAUSTED,  RATE_LIMITED,        429, RATE_LIMITED",
      "UNAVAILABLE,         STORE_UNAVAILABLE,   503, STORE_UNAVAILABLE",
      "UNAVAILABLE,         SHUTTING_DOWN,       503, SHUTTING_DOWN",
      "INTERNAL,            ANYTHING,            502, USERHARBOR_ERROR",
      "UNIMPLEMENTED,       ANYTHING,            502, USERHARBOR_ERROR",
  })
  void mapsEachRowWithItsReason(Code code, String reason, int status, String expected) {
    UserHarborProblem problem = of(grpc(code, "message from UserHarbor", reason(reason)));
    assertThat(problem.getStatusCode().value()).isEqualTo(status);
    assertThat(problem.code()).isEqualTo(expected);
    assertThat(problem.getBody().getProperties()).containsEntry("code", expected);
    if (status < 500 || status == 503) {
      assertThat(problem.getBody().getDetail()).isEqualTo("message from UserHarbor");
    } else {
      assertThat(problem.getBody().getDetail()).doesNotContain("message from UserHarbor");
    }
  }

  @ParameterizedTest(name = "{0} without ErrorInfo -> {1} {2}")
  @CsvSource({
      "UNAUTHENTICATED,    401, UNAUTHENTICATED",
      "RESOURCE_EXHAUSTED, 429, RESOURCE_EXHAUSTED",
      "INVALID_ARGUMENT,   400, INVALID_ARGUMENT",
      "NOT_FOUND,          404, NOT_FOUND",
      "UNAVAILABLE,        503, USERHARBOR_UNAVAILABLE",
      "DEADLINE_EXCEEDED,  503, USERHARBOR_UNAVAILABLE",
      "UNKNOWN,            502, USERHARBOR_ERROR",
  })
  void fallsBackToTheCodeAndAFixedSentenceWithoutUserHarborsErrorInfo(Code code, int status, String expected) {
    // A transport's own message (an address, a refusal) never reaches the caller.
    UserHarborProblem bare = of(grpc(code, "io exception: connect to 10.1.2.3:50051 refused"));
    UserHarborProblem foreign = of(grpc(code, "io exception: 10.1.2.3",
        ErrorInfo.newBuilder().setDomain("other.example").setReason("RATE_LIMITED").build()));
    for (UserHarborProblem problem : List.of(bare, foreign)) {
      assertThat(problem.getStatusCode().value()).isEqualTo(status);
      assertThat(problem.code()).isEqualTo(expected);
      assertThat(problem.getBody().getDetail()).isNotBlank().doesNotContain("10.1.2.3").doesNotContain("io exception");
    }
  }

  @Test
  void retryAfterFromRetryInfoRoundedUpAtLeastOne() {
    record Case(RetryInfo retry, String header) {}
    for (Case c : List.of(new Case(retry(30, 0), "30"), new Case(retry(1, 200_000_000), "2"),
        new Case(retry(0, 1), "1"), new Case(retry(0, 0), "1"), new Case(null, "1"))) {
      for (Code code : List.of(Code.RESOURCE_EXHAUSTED, Code.UNAVAILABLE)) {
        StatusRuntimeException error = c.retry() == null
            ? grpc(code, "busy", reason("RATE_LIMITED"))
            : grpc(code, "busy", reason("RATE_LIMITED"), c.retry());
        assertThat(of(error).getHeaders().getFirst("Retry-After")).as("%s %s", code, c).isEqualTo(c.header());
      }
    }
    assertThat(of(grpc(Code.UNAUTHENTICATED, "no", reason("INVALID_SESSION"))).getHeaders().containsHeader("Retry-After")).isFalse();
  }

  @Test
  void fieldViolationsBecomeErrors() throws Exception {
    BadRequest violations = BadRequest.newBuilder()
        .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("password").setDescription("too short"))
        .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("email").setDescription("not an address"))
        .build();
    UserHarborProblem problem = of(grpc(Code.INVALID_ARGUMENT, "check the fields", reason("WEAK_PASSWORD"), violations));
    Map<String, Object> body = written(problem);
    assertThat(body).containsOnlyKeys("type", "title", "status", "code", "detail", "errors");
    assertThat(body.get("errors")).isEqualTo(List.of(
        Map.of("field", "password", "description", "too short"),
        Map.of("field", "email", "description", "not an address")));
  }

  @Test
  void writesRfc9457WithExactlyTheContractsFields() throws Exception {
    UserHarborProblem problem = of(grpc(Code.UNAVAILABLE, "connection refused: 127.0.0.1:50051"));
    MockHttpServletResponse response = new MockHttpServletResponse();
    problem.writeTo(response, List.of(new CookiePolicy(new UserHarborProperties.Cookies(null, null, null,
        java.time.Duration.ofDays(1)), false).clear(CookiePolicy.Kind.SESSION)));
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    assertThat(response.getHeaders("Set-Cookie")).singleElement().asString().startsWith("__Host-uh_session=;");
    Map<String, Object> body = UserHarborProblem.JSON.readValue(response.getContentAsByteArray(), new TypeReference<>() {});
    assertThat(body).isEqualTo(Map.of("type", "about:blank", "title", "Service Unavailable", "status", 503,
        "code", "USERHARBOR_UNAVAILABLE", "detail", "The account service is unavailable; try again shortly."));
    assertThat(response.getContentAsString()).doesNotContain("127.0.0.1").doesNotContain("at dev.");
  }

  @Test
  void isSpringsErrorResponseAndLeavesOtherErrorsAlone() {
    UserHarborProblem problem = UserHarborProblem.invalidSession();
    assertThat(problem).isInstanceOf(ErrorResponse.class);
    assertThat(problem.getStackTrace()).isEmpty();
    assertThat(UserHarborProblem.of(problem)).containsSame(problem);
    assertThat(UserHarborProblem.of(new IllegalStateException("a bug in the app"))).isEmpty();
  }

  private static Map<String, Object> written(UserHarborProblem problem) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    problem.writeTo(response, List.of());
    return UserHarborProblem.JSON.readValue(response.getContentAsByteArray(), new TypeReference<>() {});
  }
}
