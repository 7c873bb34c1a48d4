/**
 * Cross-site request refusal (OWASP: verify the origin with standard headers),
 * on top of SameSite=Lax cookies. Applies to unsafe methods of requests that
 * are not bearer-authenticated: cookie requests, and the login handler.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** `scheme://host[:port]` of `value` (lower case, default port dropped), or undefined if it is none. */
export function normalizeOrigin(value: string): string | undefined {
  if (!URL.canParse(value)) return undefined;
  const { origin, protocol } = new URL(value);
  return origin !== "null" && (protocol === "http:" || protocol === "https:") ? origin : undefined;
}

/** The request headers the decision reads, and the origins allowed besides. */
export interface CrossSiteFacts {
  method: string;
  /** The `Sec-Fetch-Site` header, if any. */
  secFetchSite: string | undefined;
  /** The `Origin` header, if any. */
  origin: string | undefined;
  /** This app's own origin (scheme and host the client addressed). */
  ownOrigin: string;
  /** Further origins allowed to send unsafe requests (normalised). */
  allowedOrigins: ReadonlySet<string>;
}

/**
 * True when the request must be refused as cross-site:
 * - safe methods: never;
 * - `Sec-Fetch-Site: same-origin | none`: allowed; any other value (`same-site`,
 *   `cross-site`): allowed only from an allowed `Origin`;
 * - no `Sec-Fetch-Site`: an `Origin` must be allowed; none at all (non-browser
 *   clients, old browsers) is allowed.
 */
export function isCrossSiteRefused(facts: CrossSiteFacts): boolean {
  if (isSafeMethod(facts.method)) return false;
  const site = facts.secFetchSite?.trim().toLowerCase();
  if (site === "same-origin" || site === "none") return false;
  if (site === undefined && facts.origin === undefined) return false;
  const origin = facts.origin === undefined ? undefined : normalizeOrigin(facts.origin);
  if (origin === undefined) return true; // `Origin: null`, or junk
  return origin !== normalizeOrigin(facts.ownOrigin) && !facts.allowedOrigins.has(origin);
}
