import { SignJWT } from "jose";
import type { SessionKeyRing } from "./session-keys.js";

/**
 * Session assertions: short-lived compact JWS (EdDSA / Ed25519) a backend can
 * check locally against the published key set instead of calling
 * VerifySession. Revoking a session does not reach an assertion already
 * issued: it stays valid until its `exp` (at most SESSION_ASSERTION_TTL).
 */

export interface AssertionSettings {
  /** `iss` (ASSERTION_ISSUER). */
  issuer: string;
  /** `aud` (ASSERTION_AUDIENCE); no `aud` claim when unset. */
  audience: string | undefined;
  /** Lifetime (SESSION_ASSERTION_TTL). */
  ttlMs: number;
}

/** What an assertion says, taken from the live session and its account. */
export interface AssertionSubject {
  accountId: string;
  /** The session's public id (ListSessions' Session.id), never its token. */
  sessionId: string;
  username: string;
  emailVerified: boolean;
  /** The session's own expiry: no assertion outlives it. */
  sessionExpiresAt: Date;
}

export class SessionAssertions {
  constructor(
    readonly keys: SessionKeyRing,
    readonly settings: AssertionSettings,
    /** Called once per signature (the server counts them in a metric). */
    private readonly onSigned: () => void = () => {},
  ) {}

  /** A fresh assertion for `subject`, signed with the key of `now`'s period. */
  async issue(subject: AssertionSubject, now: Date): Promise<string> {
    const key = await this.keys.signingKey(now);
    const iat = Math.floor(now.getTime() / 1000);
    const exp = Math.floor(
      Math.min(now.getTime() + this.settings.ttlMs, subject.sessionExpiresAt.getTime()) / 1000,
    );
    const jwt = new SignJWT({
      sid: subject.sessionId,
      username: subject.username,
      email_verified: subject.emailVerified,
    })
      .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: "JWT" })
      .setIssuer(this.settings.issuer)
      .setSubject(subject.accountId)
      .setIssuedAt(iat)
      .setExpirationTime(exp);
    if (this.settings.audience !== undefined) jwt.setAudience(this.settings.audience);
    const signed = await jwt.sign(key.privateKey);
    this.onSigned();
    return signed;
  }

  /** The published key set at `now` (JSON text of an RFC 7517 JWK Set). */
  keySet(now: Date): Promise<string> {
    return this.keys.keySet(now);
  }
}
