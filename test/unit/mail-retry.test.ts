import { describe, expect, it } from "vitest";
import { afterFailure, MAX_RETRY_DELAY_MS } from "../../src/core/domain/mail-retry.js";

const policy = { maxAttempts: 5, backoffMs: 2_000 };
const delayAfter = (attempts: number, random: number) => {
  const next = afterFailure(policy, attempts, "temporary", random);
  return next.action === "retry" ? next.delayMs : "dead_letter";
};

describe("mail retry policy", () => {
  it("doubles the backoff per failed attempt when the draw is 0", () => {
    expect([1, 2, 3, 4].map((n) => delayAfter(n, 0))).toEqual([2_000, 4_000, 8_000, 16_000]);
  });

  it("shortens each delay by up to half: never later than the backoff, never sooner than half", () => {
    expect(delayAfter(1, 0.5)).toBe(1_500);
    expect(delayAfter(3, 0.999_999)).toBe(4_000);
    for (const random of [0, 0.1, 0.37, 0.5, 0.93, 0.999]) {
      const delay = delayAfter(2, random);
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });

  it("caps the backoff before the jitter, so retries stay spread during a long outage", () => {
    const long = { maxAttempts: 50, backoffMs: 60_000 };
    const at = (random: number) => afterFailure(long, 20, "temporary", random);
    expect(at(0)).toEqual({ action: "retry", delayMs: MAX_RETRY_DELAY_MS });
    expect(at(0.5)).toEqual({ action: "retry", delayMs: MAX_RETRY_DELAY_MS * 0.75 });
  });

  it("dead-letters once the attempts are spent, and at once on a permanent failure", () => {
    expect(delayAfter(4, 0)).toBe(16_000);
    expect(delayAfter(5, 0)).toBe("dead_letter");
    expect(afterFailure(policy, 1, "permanent", 0)).toEqual({ action: "dead_letter" });
  });
});
