import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The assertion cookie holds `<assertion>~<tag>`, the tag being the base64url
 * SHA-256 of the session token it was issued with. An assertion is a bearer
 * credential for its lifetime, not bound to any token by its signature; the
 * tag binds the cookie to its session cookie, so an assertion cookie that
 * leaked alone (a log, a misrouted header) cannot be paired with a made-up
 * session cookie: without the real token it is ignored and UserHarbor decides.
 */
export function bindAssertion(assertion: string, sessionToken: string): string {
  return `${assertion}~${tagOf(sessionToken)}`;
}

/** The assertion of a cookie value, if its tag is this session token's; else undefined. */
export function boundAssertion(
  cookieValue: string | undefined,
  sessionToken: string,
): string | undefined {
  const at = cookieValue?.lastIndexOf("~") ?? -1;
  if (!cookieValue || at < 0) return undefined;
  const tag = Buffer.from(cookieValue.slice(at + 1));
  const expected = Buffer.from(tagOf(sessionToken));
  return tag.length === expected.length && timingSafeEqual(tag, expected)
    ? cookieValue.slice(0, at)
    : undefined;
}

function tagOf(sessionToken: string): string {
  return createHash("sha256").update(sessionToken).digest("base64url");
}
