package dev.userharbor.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Like {@link RequireUser}, and 403 ({@code EMAIL_NOT_VERIFIED}) unless the account's
 * email is verified (an assertion saying "not verified" is re-checked with UserHarbor once first). On a handler method, or on a controller class for all of its handlers (a method's own
 * guard wins).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequireVerifiedEmail {
  /** Always ask UserHarbor (one VerifySession): a revoked session is refused at once. */
  boolean strict() default false;
}
