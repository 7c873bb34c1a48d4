import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";

/**
 * The keys that sign session assertions, derived from the configured secret
 * per rotation period, so every replica with the same SECRET_KEY and
 * SESSION_KEY_ROTATION signs with the same key and publishes the same key set
 * without talking to the others or to the store.
 *
 * Time is cut into periods of `rotationMs`; period p = floor(now / rotationMs).
 * In period p the key of p signs, and the set holds the keys of p-1, p and p+1:
 * - p+1 is published a whole period before it signs, longer than any verifier's
 *   cache of the set may be stale (KEY_SET_MAX_AGE_S plus the SDK's refresh
 *   interval, at most 30 minutes), so a verifier already has a key when it starts
 *   signing;
 * - p-1 stays published a whole period after it stops signing, longer than any
 *   assertion lives (rotation >= 2 x SESSION_ASSERTION_TTL, config enforces it),
 *   so nothing it signed outlives its publication;
 * - replicas whose clocks straddle a boundary by seconds still accept each other's
 *   assertions: each one's set includes the neighbour periods.
 */

/** The shortest rotation config accepts: well above the verifiers' refresh interval (see above). */
export const MIN_KEY_ROTATION_MS = 3_600_000;

/**
 * How long a cache may keep the key set (Cache-Control max-age). The key that
 * signs next is in the set a whole period (>= 1 h) before it signs; a copy
 * at most 10 minutes old, held by a verifier that refreshes at most every 30
 * minutes, is still younger than that.
 */
export const KEY_SET_MAX_AGE_S = 600;

/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), so node can load a derived seed. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key: the `kid` of every assertion it signs. */
  kid: string;
  privateKey: KeyObject;
  /** The published form: public members only (`d` never leaves this module). */
  publicJwk: JWK;
}

export class SessionKeyRing {
  /** Keys made so far, by period; only the three published ones are kept. */
  readonly #keys = new Map<number, Promise<SigningKey>>();
  readonly #sets = new Map<number, Promise<string>>();

  /**
   * @param root the `sessionKeys` subkey of SECRET_KEY (secret-keys.ts).
   * @param rotationMs SESSION_KEY_ROTATION.
   */
  constructor(
    private readonly root: Buffer,
    readonly rotationMs: number,
  ) {}

  periodAt(now: Date): number {
    return Math.floor(now.getTime() / this.rotationMs);
  }

  /** The key that signs at `now`. */
  signingKey(now: Date): Promise<SigningKey> {
    const period = this.periodAt(now);
    this.#forgetAround(period);
    return this.#key(period);
  }

  /** The JWK Set published at `now` (JSON text): the keys of the previous, current and next period. */
  keySet(now: Date): Promise<string> {
    const period = this.periodAt(now);
    let set = this.#sets.get(period);
    if (!set) {
      this.#forgetAround(period);
      set = Promise.all([period - 1, period, period + 1].map((p) => this.#key(p))).then((keys) =>
        JSON.stringify({ keys: keys.map((k) => k.publicJwk) }),
      );
      this.#sets.clear();
      this.#sets.set(period, set);
    }
    return set;
  }

  #key(period: number): Promise<SigningKey> {
    let key = this.#keys.get(period);
    if (!key) {
      key = derive(this.root, this.rotationMs, period);
      this.#keys.set(period, key);
    }
    return key;
  }

  /** Keeps only what `period` needs: its own key and its neighbours'. */
  #forgetAround(period: number): void {
    for (const known of this.#keys.keys()) {
      if (Math.abs(known - period) > 1) this.#keys.delete(known);
    }
  }
}

/**
 * One period's key: HKDF-SHA256 of the root with the period (and the rotation, so
 * a changed rotation never reuses a key under another period number) as info.
 */
async function derive(root: Buffer, rotationMs: number, period: number): Promise<SigningKey> {
  const info = `userharbor/session-assertion-key/v1/${rotationMs}/${period}`;
  const seed = Buffer.from(hkdfSync("sha256", root, "", info, 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const { kty, crv, x } = createPublicKey(privateKey).export({ format: "jwk" });
  const kid = await calculateJwkThumbprint({ kty, crv, x } as JWK, "sha256");
  return {
    kid,
    privateKey,
    publicJwk: { kty, crv, x, kid, alg: "EdDSA", use: "sig" } as JWK,
  };
}
