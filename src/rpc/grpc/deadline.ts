import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { parseTimeout } from "@connectrpc/connect/protocol-grpc";

/**
 * The call's deadline from `grpc-timeout` ("5S", "250m", ...), parsed by connect's own
 * parser so a malformed value gets the error Connect gives it; no header, no deadline.
 */
export function callTimeout(headers: IncomingHttpHeaders): ReturnType<typeof parseTimeout> {
  return parseTimeout(
    (headers["grpc-timeout"] as string | undefined) ?? null,
    Number.MAX_SAFE_INTEGER,
  );
}

/**
 * The call's AbortSignal, created on first read only: aborted by shutdown, the deadline
 * (grpc-timeout) or the client going away, like connect's handler context signal. Connect's
 * per-call AbortController, linked listeners and the DOMException its abort() builds were a
 * fifth of this path's CPU, and most calls never read the signal.
 */
export class CallSignal {
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly deadline: number | undefined;
  /** Removes the listeners get() added; made with the controller, as most calls never read it. */
  private detach: (() => void) | undefined;

  constructor(
    private readonly shutdown: AbortSignal,
    timeoutMs: number | undefined,
    private readonly stream: ServerHttp2Stream,
  ) {
    this.deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  }

  remainingMs(): number | undefined {
    return this.deadline === undefined ? undefined : this.deadline - Date.now();
  }

  get(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = new AbortController();
    this.controller = controller;
    const onAbort = () => controller.abort(this.shutdown.reason);
    const onClose = () =>
      controller.abort(new ConnectError("operation was aborted", Code.Canceled));
    this.detach = () => {
      this.shutdown.removeEventListener("abort", onAbort);
      this.stream.off("close", onClose);
    };
    if (this.shutdown.aborted) controller.abort(this.shutdown.reason);
    else this.shutdown.addEventListener("abort", onAbort, { once: true });
    const remaining = this.remainingMs();
    if (remaining !== undefined) {
      this.timer = setTimeout(
        () => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded)),
        Math.max(0, remaining),
      );
      this.timer.unref();
    }
    if (this.stream.closed) onClose();
    else this.stream.once("close", onClose);
    return controller.signal;
  }

  /** The call is over: a signal handed out reports it (as connect's does), listeners go. */
  dispose(): void {
    if (!this.controller) return;
    clearTimeout(this.timer);
    this.detach?.();
    this.controller.abort();
  }
}
