import type { AccountContext } from "../context.js";
import { ipKey } from "../domain/client-key.js";
import { AccountError } from "../errors.js";
import type { LimitName } from "../ports/throttle.js";

/**
 * Counts the request against each named budget; over any of them, the caller
 * gets RESOURCE_EXHAUSTED / RATE_LIMITED with the longest wait as RetryInfo.
 * Per-IP keys count IPv6 clients per /64.
 */
export async function enforceLimits(
  ctx: AccountContext,
  ip: string,
  limits: Array<[LimitName, string]>,
): Promise<void> {
  const waits = await Promise.all(
    limits.map(([limit, key]) => ctx.throttle.hit(limit, limit.endsWith("_ip") ? ipKey(key) : key)),
  );
  const retryAfterMs = Math.max(0, ...waits);
  if (retryAfterMs > 0) {
    const limit = limits[waits.indexOf(retryAfterMs)]?.[0] ?? "login_ip";
    ctx.audit.emit({ type: "request.rate_limited", limit, ip, retryAfterMs });
    throw new AccountError("RATE_LIMITED", { retryAfterMs });
  }
}
