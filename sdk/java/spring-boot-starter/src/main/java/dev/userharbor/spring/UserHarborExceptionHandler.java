package dev.userharbor.spring;

import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * UserHarbor's errors from the app's own calls ({@code userHarbor.accounts()...}) and a thrown
 * {@link UserHarborProblem} as problem+json, by the same table as the guards. Lowest precedence:
 * an app's own {@code @ExceptionHandler} for these wins.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class UserHarborExceptionHandler {
  @ExceptionHandler({StatusRuntimeException.class, StatusException.class, UserHarborProblem.class})
  public void handle(Exception error, HttpServletResponse response) throws IOException {
    UserHarborProblem.of(error).orElseThrow(() -> new IllegalStateException(error)).writeTo(response, List.of());
  }
}
