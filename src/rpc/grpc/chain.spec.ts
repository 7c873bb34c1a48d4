import { create, isMessage, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import {
  Health,
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
} from "@userharbor/client/grpc/health/v1/health_pb.js";
import { afterEach, describe, expect, it } from "vitest";
import { openServerStream } from "../../../test/support/raw-grpc.js";
import { CallValues } from "../call-values.js";
import { chainFor } from "./chain.js";
import { CallSignal } from "./deadline.js";
import { CallContext, CallRequest, CallState, callStateKey } from "./request.js";

const check = Health.method.check;

describe("chainFor: the interceptor chain into the implementation", () => {
  let opened: Awaited<ReturnType<typeof openServerStream>> | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function request() {
    opened = await openServerStream("/grpc.health.v1.Health/Check");
    const state = new CallState(
      new CallSignal(new AbortController().signal, undefined, opened.stream),
      opened.headers,
    );
    const values = new CallValues().set(callStateKey, state);
    return new CallRequest(
      check,
      create(HealthCheckRequestSchema, { service: "s" }),
      values,
      state,
    );
  }

  const tracing =
    (name: string, seen: string[]): Interceptor =>
    (next) =>
    async (req) => {
      seen.push(`${name} in`);
      try {
        return await next(req);
      } finally {
        seen.push(`${name} out`);
      }
    };

  it("runs the first interceptor outermost, then the implementation", async () => {
    const seen: string[] = [];
    const chain = chainFor(check, async () => {
      seen.push("impl");
      return { status: 1 };
    }, [tracing("a", seen), tracing("b", seen)]);
    await chain(await request());
    expect(seen).toEqual(["a in", "b in", "impl", "b out", "a out"]);
  });

  it("normalises a plain output into the method's response message", async () => {
    const chain = chainFor(check, async () => ({ status: 1 }), []);
    const res = await chain(await request());
    expect(res.stream).toBe(false);
    expect(isMessage(res.message, HealthCheckResponseSchema)).toBe(true);
    expect(toBinary(HealthCheckResponseSchema, res.message as never)).toEqual(
      toBinary(HealthCheckResponseSchema, create(HealthCheckResponseSchema, { status: 1 })),
    );
  });

  it("gives the implementation a full context behind a copying interceptor, and returns its metadata", async () => {
    let ctx: HandlerContext | undefined;
    const chain = chainFor(
      check,
      async (message, c) => {
        ctx = c;
        c.responseHeader.set("x-h", "1");
        c.responseTrailer.set("x-t", "2");
        expect((message as { service: string }).service).toBe("s");
        return {};
      },
      [(next) => (req) => next({ ...req, header: new Headers(req.header) })],
    );
    const res = await chain(await request());
    expect(ctx).toBeInstanceOf(CallContext);
    expect(ctx?.url).toMatch(/\/grpc\.health\.v1\.Health\/Check$/);
    expect(ctx?.signal.aborted).toBe(false);
    expect(res.header.get("x-h")).toBe("1");
    expect(res.trailer.get("x-t")).toBe("2");
  });

  it("lets the interceptors see what the implementation throws", async () => {
    let caught: unknown;
    const chain = chainFor(check, async () => {
      throw new ConnectError("no", Code.NotFound);
    }, [
      (next) => async (req) => {
        try {
          return await next(req);
        } catch (error) {
          caught = error;
          throw error;
        }
      },
    ]);
    await expect(chain(await request())).rejects.toThrow("no");
    expect(ConnectError.from(caught).code).toBe(Code.NotFound);
  });
});
