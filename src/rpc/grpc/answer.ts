import type { ServerHttp2Stream } from "node:http2";
import { envelope } from "./envelope.js";
import { errorStatus, type NodeHeaders, okTrailers, withHeaders } from "./trailers.js";

/**
 * Writes the call's answer once: a message with trailers, or trailers-only on failure. The
 * response metadata the handler set goes with either; the request id (the one this call
 * goes by, from the listener) is echoed on both.
 */
export class Answer {
  header: Headers | undefined;
  trailer: Headers | undefined;
  private done = false;

  constructor(
    private readonly stream: ServerHttp2Stream,
    private readonly requestId: string,
  ) {}

  ok(message: Uint8Array): void {
    if (!this.begin()) return;
    const frame = envelope(message);
    const trailer = okTrailers(this.trailer);
    // Emitted once; node copies the object it is given.
    this.stream.on("wantTrailers", () => this.stream.sendTrailers(trailer));
    this.stream.respond(this.head(), { waitForTrailers: true });
    this.stream.end(frame);
  }

  fail(error: unknown): void {
    if (!this.begin()) return;
    const head = withHeaders(withHeaders(this.head(), this.trailer), errorStatus(error));
    this.stream.respond(head, { endStream: true });
  }

  private begin(): boolean {
    if (this.done || this.stream.destroyed || this.stream.headersSent) return false;
    this.done = true;
    return true;
  }

  private head(): NodeHeaders {
    const head: NodeHeaders = {
      ":status": 200,
      "content-type": "application/grpc+proto", // what Connect answers too
    };
    withHeaders(head, this.header);
    if (this.requestId) head["x-request-id"] = this.requestId;
    return head;
  }
}
