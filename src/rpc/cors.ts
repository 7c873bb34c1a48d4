import { cors } from "@connectrpc/connect";
import type { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";

/**
 * CORS for browser pages on other origins (connect-web over Connect or gRPC-Web).
 * Off unless CORS_ORIGINS lists exact origins. Connect publishes the methods and
 * headers its protocols need; this service adds the API key (`authorization`)
 * and the request id it echoes. An origin not listed gets no CORS headers at
 * all (the browser then refuses the call) and a log line saying why, so a
 * misconfigured page is diagnosed from the server's log.
 */

export const ALLOWED_METHODS = cors.allowedMethods;
export const ALLOWED_HEADERS = [...cors.allowedHeaders, "authorization", "x-request-id"];
export const EXPOSED_HEADERS = [...cors.exposedHeaders, "x-request-id"];
/** How long a browser may reuse a preflight answer (Chromium caps it at 2 h). */
const MAX_AGE_SECONDS = 7_200;
/** `/package.Service/Method`: the only paths this server routes. */
const RPC_PATH = /^\/[A-Za-z_][\w.]*\/[A-Za-z_]\w*$/;

type Handled = Parameters<ReturnType<typeof connectNodeAdapter>>;

/** Returns true when it answered the request itself (a preflight); else the RPC handler runs. */
export type CorsGate = (req: Handled[0], res: Handled[1]) => boolean;

/** `origins`: exact origins (`https://app.example.com`), or `*` (any; refused in production by config). */
export function corsGate(origins: readonly string[], log: Logger): CorsGate {
  const anyOrigin = origins.includes("*");
  const listed = new Set(origins);
  const refusal =
    origins.length === 0 ? "CORS is off (CORS_ORIGINS is not set)" : "origin not in CORS_ORIGINS";

  return (req, res) => {
    const origin = header(req, "origin");
    if (origin === undefined) return false; // not a cross-origin browser call
    const path = (req.url ?? "").split("?")[0] ?? "";
    const preflight = req.method === "OPTIONS" && header(req, "access-control-request-method");
    if (preflight && !RPC_PATH.test(path)) return false; // not an RPC: the router answers
    const allowed = anyOrigin || listed.has(origin);
    if (!allowed) {
      log.warn(
        { origin, path, preflight: Boolean(preflight) },
        `CORS: refused ${origin}: ${refusal}`,
      );
      if (!preflight) return false; // the browser hides the answer: no CORS headers
      res.writeHead(403, { "content-length": "0" });
      res.end();
      return true;
    }
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "origin");
    if (!preflight) {
      res.setHeader("access-control-expose-headers", EXPOSED_HEADERS.join(", "));
      return false;
    }
    res.writeHead(204, {
      "access-control-allow-methods": ALLOWED_METHODS.join(", "),
      "access-control-allow-headers": ALLOWED_HEADERS.join(", "),
      "access-control-max-age": String(MAX_AGE_SECONDS),
      "content-length": "0",
    });
    res.end();
    return true;
  };
}

function header(req: Handled[0], name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
