import { createHash, timingSafeEqual } from "node:crypto";
import type { Interceptor } from "@connectrpc/connect";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { AccountError } from "../core/errors.js";

/**
 * Authenticates the calling backend by `authorization: Bearer <key>`. The
 * presented key is hashed and compared with every configured digest in
 * constant time (no early exit), so timing tells nothing about which key or
 * how much of it matched. Health stays open for probes and load balancers.
 */
export function requireApiKey(digests: readonly Buffer[]): Interceptor {
  return (next) => (req) => {
    if (
      req.service.typeName !== Health.typeName &&
      !accepted(req.header.get("authorization"), digests)
    ) {
      throw new AccountError("INVALID_API_KEY");
    }
    return next(req);
  };
}

function accepted(header: string | null, digests: readonly Buffer[]): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "";
  const digest = createHash("sha256").update(presented, "utf8").digest();
  let match = false;
  for (const candidate of digests) match = timingSafeEqual(digest, candidate) || match;
  return match && presented !== "";
}
