import { create } from "@bufbuild/protobuf";
import { createContextKey, type UnaryRequest } from "@connectrpc/connect";
import { Health, HealthCheckRequestSchema } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { afterEach, describe, expect, it } from "vitest";
import { openServerStream } from "../../../test/support/raw-grpc.js";
import { CallValues } from "../call-values.js";
import { CallSignal } from "./deadline.js";
import { CallContext, CallRequest, CallState, callStateKey } from "./request.js";

const check = Health.method.check;

describe("CallRequest and CallContext: what interceptors and the implementation see", () => {
  let opened: Awaited<ReturnType<typeof openServerStream>> | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function call(timeoutMs?: number) {
    opened = await openServerStream("/grpc.health.v1.Health/Check", {
      "content-type": "application/grpc",
      authorization: "Bearer k",
    });
    const shutdown = new AbortController();
    const state = new CallState(
      new CallSignal(shutdown.signal, timeoutMs, opened.stream),
      opened.headers,
    );
    const values = new CallValues().set(callStateKey, state);
    const message = create(HealthCheckRequestSchema, { service: "svc" });
    return { state, values, shutdown, req: new CallRequest(check, message, values, state) };
  }

  it("presents a unary POST of the method, its metadata and its URL", async () => {
    const { req } = await call();
    expect(req).toMatchObject({ stream: false, requestMethod: "POST", method: check });
    expect(req.service).toBe(Health);
    expect((req.message as { service?: string }).service).toBe("svc");
    expect(req.header.get("authorization")).toBe("Bearer k");
    expect(req.header.get(":path")).toBeNull();
    expect(req.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/grpc\.health\.v1\.Health\/Check$/);
  });

  it("hands out the call's one signal, made on first read", async () => {
    const { req, state, shutdown } = await call();
    const signal = req.signal;
    expect(signal).toBe(state.signal.get());
    shutdown.abort();
    expect(req.signal.aborted).toBe(true);
  });

  it("gives the implementation url, signal, deadline and response metadata from a copied request", async () => {
    const { req, state, values } = await call(5_000);
    const key = createContextKey("none");
    values.set(key, "set by an interceptor");
    // Interceptors copy requests with a spread: own properties only, the getters are lost.
    const copy = { ...req, header: new Headers(req.header) };
    expect("url" in copy).toBe(false);
    const ctx = new CallContext(copy as unknown as UnaryRequest, state);
    expect(ctx.url).toBe(req.url);
    expect(ctx.signal).toBe(req.signal);
    expect(ctx.timeoutMs()).toBeGreaterThan(4_000);
    expect(ctx.timeoutMs()).toBeLessThanOrEqual(5_000);
    expect(ctx.requestHeader).toBe(copy.header);
    expect(ctx.values.get(key)).toBe("set by an interceptor");
    expect(ctx).toMatchObject({ protocolName: "grpc", method: check, service: Health });
    ctx.responseHeader.set("x-handler", "1");
    ctx.responseTrailer.set("x-trailer", "2");
    expect(state.responseHeader.get("x-handler")).toBe("1");
    expect(state.responseTrailer.get("x-trailer")).toBe("2");
  });

  it("has no deadline without grpc-timeout", async () => {
    const { req, state } = await call();
    expect(new CallContext(req, state).timeoutMs()).toBeUndefined();
  });
});
