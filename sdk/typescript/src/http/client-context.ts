import { isIP } from "node:net";
import type { IncomingFacts } from "./exchange.js";

/** The longest User-Agent passed on (UserHarbor keeps no more). */
export const USER_AGENT_MAX = 512;

/** ClientContext's fields, as a generated client takes them. */
export interface ClientContextInit {
  ip: string;
  userAgent: string;
  deviceToken: string;
}

/**
 * `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) as `192.0.2.1`;
 * anything that is no IP address (a Unix socket, junk from a proxy) as "",
 * which UserHarbor reads as "use the connection's address" instead of refusing
 * the call with INVALID_CLIENT_CONTEXT.
 */
export function plainIp(ip: string): string {
  const plain = /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip;
  return isIP(plain) ? plain : "";
}

/**
 * The end user UserHarbor is asked to act for: the framework's proxy-aware
 * client address (UserHarbor believes it only from an API key with the
 * `client-ip` scope), the User-Agent, and the device cookie.
 */
export function clientContextOf(req: IncomingFacts, deviceToken = ""): ClientContextInit {
  return {
    ip: plainIp(req.ip),
    userAgent: (req.header("user-agent") ?? "").slice(0, USER_AGENT_MAX),
    deviceToken,
  };
}
