package dev.userharbor.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The guard annotations at work: a Spring MVC interceptor that runs a handler's check before it
 * (answering refusals as problem+json), and the resolver that hands the user to a
 * {@link UserHarborUser} parameter.
 */
final class UserHarborGuards implements HandlerInterceptor, HandlerMethodArgumentResolver {
  private static final String USER = UserHarborGuards.class.getName() + ".user";
  private static final String GUARDED = UserHarborGuards.class.getName() + ".guarded";
  /** A handler without a guard, in the cache (which holds no nulls). */
  private static final Requirement NONE = new Requirement(Requirement.Kind.OPTIONAL, false);

  /** A handler method of a bean type (a class-level guard depends on the type). */
  private record Handler(Class<?> type, Method method) {}

  private final UserHarbor userHarbor;
  private final Map<Handler, Requirement> requirements = new ConcurrentHashMap<>();

  UserHarborGuards(UserHarbor userHarbor) {
    this.userHarbor = userHarbor;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
    // Checked once per request: an async or error re-dispatch keeps the first answer.
    if (!(handler instanceof HandlerMethod method) || request.getAttribute(GUARDED) != null) {
      return true;
    }
    Requirement need = requirements.computeIfAbsent(new Handler(method.getBeanType(), method.getMethod()), m -> {
      Requirement found = Requirement.of(method);
      return found == null ? NONE : found;
    });
    if (need == NONE) {
      return true;
    }
    UserHarbor.Authentication checked = userHarbor.authenticate(request, need);
    if (checked.refusal() != null) {
      checked.refusal().writeTo(response, checked.cookies());
      return false;
    }
    checked.cookies().forEach(cookie -> response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString()));
    request.setAttribute(GUARDED, Boolean.TRUE);
    if (checked.user() != null) {
      request.setAttribute(USER, checked.user());
    }
    return true;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == UserHarborUser.class;
  }

  @Override
  public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
      WebDataBinderFactory binders) {
    if (request.getAttribute(GUARDED, RequestAttributes.SCOPE_REQUEST) == null) {
      throw new IllegalStateException(parameter.getExecutable()
          + " takes a UserHarborUser but has no guard: annotate it with @RequireUser, @RequireVerifiedEmail or @OptionalUser");
    }
    return request.getAttribute(USER, RequestAttributes.SCOPE_REQUEST);
  }
}
