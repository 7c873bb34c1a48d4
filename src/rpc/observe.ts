import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { Metrics } from "../observability/metrics.js";
import { callerKey } from "./api-keys.js";
import { requestIdFor } from "./request-id.js";
import { hookStream } from "./stream-hooks.js";

/** Code.InvalidArgument -> "INVALID_ARGUMENT", the spelling gRPC tools and dashboards use. */
const STATUS_NAMES = new Map<Code, string>(
  Object.values(Code)
    .filter((v): v is Code => typeof v === "number")
    .map((code) => [code, Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()]),
);
function statusName(code: Code | undefined): string {
  return code === undefined ? "OK" : (STATUS_NAMES.get(code) ?? String(code));
}

/** Which of the three protocols a request came in on, from its content type. */
function protocolOf(header: Headers): "grpc" | "grpc-web" | "connect" {
  const type = header.get("content-type") ?? "";
  if (type.startsWith("application/grpc-web")) return "grpc-web";
  return type.startsWith("application/grpc") ? "grpc" : "connect";
}

/**
 * prom-client's label-bound children, looked up once per (method, status) rather than once
 * per call (its label hashing showed in the hot path's profile). Methods and statuses are
 * finite, so is the map.
 */
function seriesOf(metrics: Metrics) {
  const cache = new Map<
    string,
    { count: { inc(): void }; latency: { observe(value: number): void } }
  >();
  return (method: string, code: string) => {
    const key = `${method} ${code}`;
    let child = cache.get(key);
    if (!child) {
      child = {
        count: metrics.rpcs.labels({ method, code }),
        latency: metrics.latency.labels({ method }),
      };
      cache.set(key, child);
    }
    return child;
  };
}

/**
 * One log line and one metric sample per RPC: method, status, duration,
 * request id (the listener put it in `x-request-id` and echoes it on every answer),
 * and the calling API key's name once authenticated.
 * It sits outside the error mapping, so it sees exactly the status the caller
 * gets; it never logs a request or response message.
 */
export function observeRpcs(log: Logger, metrics: Metrics): Interceptor {
  const series = seriesOf(metrics);
  return (next) => async (req) => {
    const started = performance.now();
    const requestId = requestIdFor(req.header.get("x-request-id"));
    const method = `${req.service.typeName}/${req.method.name}`;
    const finish = (error?: unknown) => {
      const code = error === undefined ? undefined : ConnectError.from(error).code;
      const seconds = (performance.now() - started) / 1000;
      const sample = series(method, statusName(code));
      sample.count.inc();
      sample.latency.observe(seconds);
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
      if (!res.stream) finish();
      return hookStream(res, { onEnd: finish });
    } catch (error) {
      finish(error);
      throw error;
    }
  };
}
