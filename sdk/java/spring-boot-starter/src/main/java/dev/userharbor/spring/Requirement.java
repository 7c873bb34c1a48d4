package dev.userharbor.spring;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/** Which check a handler asks for: its guard annotation, read once per handler method. */
record Requirement(Kind kind, boolean strict) {
  enum Kind { REQUIRED, OPTIONAL, VERIFIED_EMAIL }

  /** The method's guard, else its class's, else null (the handler is not guarded). */
  static Requirement of(HandlerMethod handler) {
    Requirement own = of(handler.getMethod());
    return own != null ? own : of(handler.getBeanType());
  }

  private static Requirement of(AnnotatedElement element) {
    List<Requirement> found = new ArrayList<>(1);
    RequireUser required = AnnotatedElementUtils.findMergedAnnotation(element, RequireUser.class);
    if (required != null) {
      found.add(new Requirement(Kind.REQUIRED, required.strict()));
    }
    OptionalUser optional = AnnotatedElementUtils.findMergedAnnotation(element, OptionalUser.class);
    if (optional != null) {
      found.add(new Requirement(Kind.OPTIONAL, optional.strict()));
    }
    RequireVerifiedEmail verified = AnnotatedElementUtils.findMergedAnnotation(element, RequireVerifiedEmail.class);
    if (verified != null) {
      found.add(new Requirement(Kind.VERIFIED_EMAIL, verified.strict()));
    }
    if (found.size() > 1) {
      throw new IllegalStateException(element + " has more than one UserHarbor guard: keep one");
    }
    return found.isEmpty() ? null : found.get(0);
  }
}
