import type { IncomingFacts } from "./exchange.js";

/** The longest User-Agent passed on (UserHarbor keeps no more). */
export const USER_AGENT_MAX = 512;

/** ClientContext's fields, as a generated client takes them. */
export interface ClientContextInit {
  ip: string;
  userAgent: string;
  deviceToken: string;
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) as `192.0.2.1`; others as they are. */
export function plainIp(ip: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip;
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
