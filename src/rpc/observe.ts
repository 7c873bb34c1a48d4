import { randomUUID } from "node:crypto";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { Metrics } from "../observability/metrics.js";
import { callerKey } from "./api-keys.js";
import { hookStream } from "./stream-hooks.js";

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** Code.InvalidArgument -> "INVALID_ARGUMENT", the spelling gRPC tools and dashboards use. */
function statusName(code: Code | undefined): string {
  return code === undefined ? "OK" : Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** Which of the three protocols a request came in on, from its content type. */
function protocolOf(header: Headers): "grpc" | "grpc-web" | "connect" {
  const type = header.get("content-type") ?? "";
  if (type.startsWith("application/grpc-web")) return "grpc-web";
  return type.startsWith("application/grpc") ? "grpc" : "connect";
}

/**
 * One log line and one metric sample per RPC: method, status, duration,
 * request id (the caller's `x-request-id` if sane, else a new one, echoed back),
 * and the calling API key's name once authenticated.
 * It sits outside the error mapping, so it sees exactly the status the caller
 * gets; it never logs a request or response message.
 */
export function observeRpcs(log: Logger, metrics: Metrics): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const offered = req.header.get("x-request-id") ?? "";
    const requestId = REQUEST_ID.test(offered) ? offered : randomUUID();
    const method = `${req.service.typeName}/${req.method.name}`;
    const finish = (error?: unknown) => {
      const code = error === undefined ? undefined : ConnectError.from(error).code;
      const seconds = (performance.now() - started) / 1000;
      metrics.rpcs.inc({ method, code: statusName(code) });
      metrics.latency.observe({ method }, seconds);
      log.info(
        {
          rpc: method,
          code: statusName(code),
          ms: Math.round(seconds * 10_000) / 10,
          requestId,
          protocol: protocolOf(req.header),
          apiKey: req.contextValues.get(callerKey)?.name,
        },
        "rpc",
      );
    };
    try {
      const res = await next(req);
      res.header.set("x-request-id", requestId);
      if (!res.stream) finish();
      return hookStream(res, { onEnd: finish });
    } catch (error) {
      finish(error);
      throw error;
    }
  };
}
