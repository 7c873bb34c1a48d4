package dev.userharbor.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The user when the request carries a valid session, else anonymous (a null
 * {@link UserHarborUser}); never 401. On a handler method, or on a controller class for all of its handlers (a method's own
 * guard wins).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OptionalUser {
  /** Always ask UserHarbor (one VerifySession): a revoked session is refused at once. */
  boolean strict() default false;
}
