import { isIP } from "node:net";
import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { ClientContext } from "@userharbor/client";
import type { ClientInfo } from "../core/context.js";
import { AccountError } from "../core/errors.js";

/** The calling connection's address, put on each request by the listener. */
export const peerAddress = createContextKey<string>("", { description: "peer address" });

const USER_AGENT_MAX = 512;

/**
 * The end user the calling backend acts for. An empty ip falls back to the
 * connection's address (so per-IP limits still key on something real); a
 * malformed one is the caller's bug and is refused.
 */
export function clientInfo(client: ClientContext | undefined, ctx: HandlerContext): ClientInfo {
  const ip = client?.ip ?? "";
  if (ip !== "" && isIP(ip) === 0) {
    throw new AccountError("INVALID_CLIENT_CONTEXT", { field: "client.ip" });
  }
  return {
    ip: ip || ctx.values.get(peerAddress),
    userAgent: (client?.userAgent ?? "").slice(0, USER_AGENT_MAX),
  };
}
