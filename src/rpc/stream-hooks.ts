import type { StreamResponse, UnaryResponse } from "@connectrpc/connect";

type AnyResponse = UnaryResponse | StreamResponse;

/**
 * Interceptors see a streaming response only as a lazy message iterable: its
 * errors and its end come later, while it is read. This wraps it so `onEnd`
 * hears how it ended and `mapError` may replace what it throws. Unary
 * responses pass through untouched (their outcome is the awaited call).
 */
export function hookStream<R extends AnyResponse>(
  res: R,
  hooks: { onEnd?: (error?: unknown) => void; mapError?: (error: unknown) => unknown },
): R {
  if (!res.stream) return res;
  const messages = res.message;
  return {
    ...res,
    message: (async function* () {
      let failed = false;
      try {
        yield* messages;
      } catch (error) {
        failed = true;
        hooks.onEnd?.(error);
        throw hooks.mapError ? hooks.mapError(error) : error;
      } finally {
        // Also when the client stops reading (a cancelled Watch): the stream ended without error.
        if (!failed) hooks.onEnd?.();
      }
    })(),
  };
}
