import { isIP } from "node:net";
import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { ClientContext } from "@userharbor/client";
import type { ClientInfo } from "../core/context.js";
import { AccountError } from "../core/errors.js";
import { callerKey } from "./api-keys.js";

/** The calling connection's address, put on each request by the listener. */
export const peerAddress = createContextKey<string>("", { description: "peer address" });

const USER_AGENT_MAX = 512;

/**
 * The end user the calling backend acts for. `client.ip` counts only from a
 * key with the client-ip scope (anyone else could rotate it for fresh per-IP
 * budgets); otherwise, or when empty, the connection's address does. A
 * malformed ip from a trusted key is the caller's bug and is refused.
 */
export function clientInfo(client: ClientContext | undefined, ctx: HandlerContext): ClientInfo {
  const trusted = ctx.values.get(callerKey)?.scopes.has("client-ip") ?? false;
  const ip = trusted ? (client?.ip ?? "") : "";
  if (ip !== "" && isIP(ip) === 0) {
    throw new AccountError("INVALID_CLIENT_CONTEXT", { field: "client.ip" });
  }
  return {
    ip: ip || ctx.values.get(peerAddress),
    userAgent: (client?.userAgent ?? "").slice(0, USER_AGENT_MAX),
    // Passed on as is: the core only ever compares its HMAC, and treats junk as no token.
    deviceToken: client?.deviceToken ?? "",
  };
}
