import { RetryInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";
import type { RpcFailure } from "./rpc-errors.js";

/** The RetryInfo delay of a failure, in milliseconds (undefined when absent). */
export function retryAfterMs(failure: RpcFailure): number | undefined {
  const [info] = failure.error.findDetails(RetryInfoSchema);
  const delay = info?.retryDelay;
  return delay ? Number(delay.seconds) * 1000 + Math.round(delay.nanos / 1e6) : undefined;
}
