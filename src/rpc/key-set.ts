import { KEY_SET_MAX_AGE_S } from "../core/domain/session-keys.js";
import type { NodeHandler } from "./listener.js";

/**
 * The session assertions' public key set over plain HTTP, where API gateways
 * and JOSE libraries look for it: `GET /.well-known/jwks.json` on the service
 * port, the same document GetSessionKeys returns. No API key (public keys).
 * Cacheable for KEY_SET_MAX_AGE_S (session-keys.ts says why that is safe).
 */

export const KEY_SET_PATH = "/.well-known/jwks.json";
export const KEY_SET_CACHE_CONTROL = `public, max-age=${KEY_SET_MAX_AGE_S}`;
/** RFC 7517 section 8.5's media type for a JWK Set. */
const KEY_SET_TYPE = "application/jwk-set+json";

type Handled = Parameters<NodeHandler>;

/** Answers the request itself and returns true, or returns false to leave it to the RPC router. */
export type HttpRoute = (req: Handled[0], res: Handled[1]) => boolean;

export function keySetRoute(keySet: () => Promise<string>): HttpRoute {
  return (req, res) => {
    const url = req.url ?? "";
    if (url !== KEY_SET_PATH && !url.startsWith(`${KEY_SET_PATH}?`)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-length": "0" });
      res.end();
      return true;
    }
    keySet().then(
      (json) => {
        res.writeHead(200, {
          "content-type": KEY_SET_TYPE,
          "content-length": String(Buffer.byteLength(json)),
          "cache-control": KEY_SET_CACHE_CONTROL,
        });
        if (req.method === "HEAD") res.end();
        else res.end(json);
      },
      () => {
        res.writeHead(500, { "content-length": "0" });
        res.end();
      },
    );
    return true;
  };
}
