package dev.userharbor.spring;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseCookie;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * An answer in RFC 9457 form ({@code application/problem+json}): Spring's {@link ProblemDetail}
 * with the stable reason as its {@code code} property and, for field violations, {@code errors}.
 * The integration's own refusals, and UserHarbor's errors mapped by {@link #of(Throwable)}.
 * Thrown from a handler, the auto-configured exception handler answers with it.
 */
public final class UserHarborProblem extends ErrorResponseException {
  private static final long serialVersionUID = 1L;

  /** Spring's own serialisation of ProblemDetail (properties inline), independent of the app's mapper. */
  static final JsonMapper JSON = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

  private static final URI ABOUT_BLANK = URI.create("about:blank");

  /** A field the caller got wrong (BadRequest's field violations, or the login body's). */
  public record FieldError(String field, String description) {}

  private final String code;

  /**
   * @param detail safe for the end user: never a stack, a token or a password
   * @param retryAfterSeconds a {@code Retry-After} header, or 0 for none
   */
  public UserHarborProblem(int status, String code, String detail, long retryAfterSeconds, List<FieldError> errors) {
    super(HttpStatus.valueOf(status), ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail), null);
    this.code = code;
    getBody().setType(ABOUT_BLANK); // Spring 7 leaves it out unless set; the contract sends it
    getBody().setProperty("code", code);
    if (!errors.isEmpty()) {
      getBody().setProperty("errors", List.copyOf(errors));
    }
    if (retryAfterSeconds > 0) {
      getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
  }

  UserHarborProblem(int status, String code, String detail) {
    this(status, code, detail, 0, List.of());
  }

  /** The stable machine-readable reason: UserHarbor's ErrorInfo reason, or the integration's own. */
  public String code() {
    return code;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // an answer, not a failure: no stack to collect (or to leak)
  }

  static UserHarborProblem invalidSession() {
    return new UserHarborProblem(401, "INVALID_SESSION", "Sign in first: no valid session.");
  }

  static UserHarborProblem emailNotVerified() {
    return new UserHarborProblem(403, "EMAIL_NOT_VERIFIED", "Verify your email address first.");
  }

  static UserHarborProblem crossSite() {
    return new UserHarborProblem(403, "CROSS_SITE_REQUEST", "Refused: this request came from another site.");
  }

  static UserHarborProblem invalidRequest(String detail, List<FieldError> errors) {
    return new UserHarborProblem(400, "INVALID_REQUEST", detail, 0, errors);
  }

  /** Writes the problem (with {@code cookies}) as the whole response. */
  public void writeTo(HttpServletResponse response, List<ResponseCookie> cookies) throws IOException {
    response.setStatus(getStatusCode().value());
    getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
    for (ResponseCookie cookie : cookies) {
      response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.getOutputStream().write(JSON.writeValueAsBytes(getBody()));
  }

  /** API-key errors concern this backend's own credentials, not its end user. */
  private static final Set<String> BACKEND_CREDENTIAL_REASONS = Set.of("INVALID_API_KEY", "MISSING_SCOPE");

  private static final Map<Status.Code, Integer> STATUS_BY_CODE = Map.of(
      Status.Code.UNAUTHENTICATED, 401,
      Status.Code.PERMISSION_DENIED, 403,
      Status.Code.RESOURCE_EXHAUSTED, 429,
      Status.Code.INVALID_ARGUMENT, 400,
      Status.Code.OUT_OF_RANGE, 400,
      Status.Code.FAILED_PRECONDITION, 403,
      Status.Code.ALREADY_EXISTS, 409,
      Status.Code.NOT_FOUND, 404,
      Status.Code.UNAVAILABLE, 503,
      Status.Code.DEADLINE_EXCEEDED, 503);

  /**
   * UserHarbor's error (a gRPC {@link StatusRuntimeException} or {@link StatusException}) as a
   * problem, by docs/integrations.md §6: the ErrorInfo reason as {@code code}, Retry-After from
   * RetryInfo on 429 and 503, BadRequest field violations as {@code errors}. The detail is
   * UserHarbor's own message only when the error carries UserHarbor's ErrorInfo (those are
   * written for callers); transport failures get a fixed sentence, so no address leaks. A
   * UserHarborProblem is returned as it is; anything else: empty.
   */
  public static Optional<UserHarborProblem> of(Throwable error) {
    if (error instanceof UserHarborProblem problem) {
      return Optional.of(problem);
    }
    if (!(error instanceof StatusRuntimeException) && !(error instanceof StatusException)) {
      return Optional.empty();
    }
    Status status = Status.fromThrowable(error);
    com.google.rpc.Status rich = StatusProto.fromThrowable(error);
    List<Any> details = rich == null ? List.of() : rich.getDetailsList();
    ErrorInfo info = detail(details, ErrorInfo.class);
    String reason = info != null && info.getDomain().equals("userharbor.v1") ? info.getReason() : "";
    String message = reason.isEmpty() || status.getDescription() == null ? "" : status.getDescription();
    if (BACKEND_CREDENTIAL_REASONS.contains(reason)) {
      return Optional.of(new UserHarborProblem(502, reason, "UserHarbor refused this backend's API key."));
    }
    int http = STATUS_BY_CODE.getOrDefault(status.getCode(), 502);
    return Optional.of(switch (http) {
      case 503 -> new UserHarborProblem(503, or(reason, "USERHARBOR_UNAVAILABLE"),
          or(message, "The account service is unavailable; try again shortly."), retryAfterSeconds(details), List.of());
      case 502 -> new UserHarborProblem(502, "USERHARBOR_ERROR", "The account service failed.");
      case 429 -> new UserHarborProblem(429, or(reason, "RESOURCE_EXHAUSTED"), or(message, "Too many requests."),
          retryAfterSeconds(details), List.of());
      default -> {
        BadRequest badRequest = detail(details, BadRequest.class);
        List<FieldError> errors = badRequest == null ? List.of() : badRequest.getFieldViolationsList().stream()
            .map(v -> new FieldError(v.getField(), v.getDescription())).toList();
        yield new UserHarborProblem(http, or(reason, status.getCode().name()),
            or(message, HttpStatus.valueOf(http).getReasonPhrase()), 0, errors);
      }
    });
  }

  /** Seconds for Retry-After: the RetryInfo delay rounded up, at least 1; 1 without one. */
  static long retryAfterSeconds(List<Any> details) {
    RetryInfo retry = detail(details, RetryInfo.class);
    if (retry == null || !retry.hasRetryDelay()) {
      return 1;
    }
    com.google.protobuf.Duration delay = retry.getRetryDelay();
    return Math.max(1, delay.getSeconds() + (delay.getNanos() > 0 ? 1 : 0));
  }

  private static <T extends com.google.protobuf.Message> T detail(List<Any> details, Class<T> type) {
    for (Any any : details) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
          return null; // a garbled detail counts as none
        }
      }
    }
    return null;
  }

  private static String or(String value, String fallback) {
    return value.isEmpty() ? fallback : value;
  }
}
