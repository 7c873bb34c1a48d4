/**
 * What the framework-independent core reads from a request and hands back for
 * a response. Each framework adapter (Express, Fastify) fills `IncomingFacts`
 * from its own request object and writes an `Answer` with its own reply API.
 */

/** The parts of a request the integration decides on. */
export interface IncomingFacts {
  /** The HTTP method, upper case. */
  method: string;
  /** A header's value (the first, if repeated); `name` is lower case. */
  header(name: string): string | undefined;
  /** The client's address from the framework's proxy-aware setting (never a raw X-Forwarded-For). */
  ip: string;
  /** `scheme://host[:port]` the client addressed, from the framework's proxy-aware setting. */
  origin: string;
}

/** A response to send as it is: a problem, a login's JSON, a logout's 204. */
export interface Answer {
  status: number;
  /** Lower-case names: `content-type`, `retry-after`. */
  headers: Record<string, string>;
  /** Whole `Set-Cookie` values, one per cookie. */
  setCookies: string[];
  /** A JSON body (serialised by the adapter), or undefined for none. */
  body?: unknown;
}

/** The user a valid session belongs to, as route handlers see it. No token is ever on it. */
export interface AuthenticatedUser {
  /** The account id (User.id, a UUIDv7): the foreign key for your own records. */
  accountId: string;
  /** The session's public id, as ListSessions shows it. */
  sessionId: string;
  username: string;
  emailVerified: boolean;
}

/** Which check a route asks for. */
export interface Requirement {
  /** `required`: 401 without a user; `optional`: anonymous instead; `verified-email`: 403 unless verified. */
  user: "required" | "optional" | "verified-email";
  /** Always one VerifySession (no local assertion): a revoked session is refused at once. */
  strict?: boolean;
}

/** What a check decided: go on (with the user, or anonymous), or answer now. */
export type Authentication =
  | { outcome: "user"; user: AuthenticatedUser; setCookies: string[] }
  | { outcome: "anonymous"; setCookies: string[] }
  | { outcome: "refused"; answer: Answer };
