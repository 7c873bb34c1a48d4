import { createLocalJWKSet, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from "jose";
import { KeySetUnavailableError } from "./errors.js";

/** Returns the service's current JWK Set (GET /.well-known/jwks.json, or GetSessionKeys). */
export type KeyFetcher = () => Promise<JSONWebKeySet>;

/**
 * Fetches at most once per this interval when something asks for a refetch
 * (an unknown `kid`, or a failed fetch being retried), so assertions with
 * garbage `kid`s, or a key server that is down, cannot make the verifier hammer it.
 */
export const REFETCH_COOLDOWN_MS = 30_000;

interface Held {
  kids: ReadonlySet<string>;
  getKey: JWTVerifyGetKey;
  fetchedAt: number;
}

/**
 * The key set, fetched once and then kept: refreshed in the background once it
 * is `refreshIntervalMs` old (verification goes on with the copy held
 * meanwhile), and refetched at once for a `kid` it does not hold, both at most
 * once per REFETCH_COOLDOWN_MS. Concurrent callers share one fetch.
 */
export class KeyCache {
  #held: Held | undefined;
  #inFlight: Promise<Held> | undefined;
  #lastAttempt = Number.NEGATIVE_INFINITY;
  #fetches = 0;

  constructor(
    private readonly fetchKeys: KeyFetcher,
    private readonly refreshIntervalMs: number,
    private readonly now: () => number,
  ) {}

  /** Key set fetches started so far (successful or not). */
  get fetches(): number {
    return this.#fetches;
  }

  /** A key resolver for jose, and whether the set (after any allowed refetch) holds `kid`. */
  async forKid(kid: string): Promise<{ getKey: JWTVerifyGetKey; known: boolean }> {
    let held = this.#held;
    if (!held) {
      if (!this.#mayFetch() && !this.#inFlight) {
        throw new KeySetUnavailableError("the key set could not be fetched; retrying later");
      }
      held = await this.#fetch();
    } else if (!held.kids.has(kid)) {
      // A key the set did not have when fetched may have been published since.
      if (this.#mayFetch() || this.#inFlight) held = await this.#fetch().catch(() => held as Held);
    } else if (this.now() - held.fetchedAt >= this.refreshIntervalMs && this.#mayFetch()) {
      this.#fetch().catch(() => {}); // keep verifying with the held copy meanwhile
    }
    return { getKey: held.getKey, known: held.kids.has(kid) };
  }

  #mayFetch(): boolean {
    return this.now() - this.#lastAttempt >= REFETCH_COOLDOWN_MS;
  }

  #fetch(): Promise<Held> {
    this.#inFlight ??= (async () => {
      this.#lastAttempt = this.now();
      this.#fetches++;
      try {
        const keys = usableKeys(await this.fetchKeys());
        const held: Held = {
          kids: new Set(keys.map((k) => k.kid as string)),
          getKey: createLocalJWKSet({ keys }),
          fetchedAt: this.now(),
        };
        this.#held = held;
        return held;
      } catch (error) {
        throw error instanceof KeySetUnavailableError
          ? error
          : new KeySetUnavailableError(`fetching the key set failed: ${String(error)}`, {
              cause: error,
            });
      } finally {
        this.#inFlight = undefined;
      }
    })();
    return this.#inFlight;
  }
}

/** The Ed25519 signature keys of a fetched set; anything else in it is ignored. */
function usableKeys(set: JSONWebKeySet): JWK[] {
  if (typeof set !== "object" || set === null || !Array.isArray(set.keys)) {
    throw new KeySetUnavailableError('the key set is not a JWK Set ({"keys": [...]})');
  }
  return set.keys.filter(
    (k) =>
      k !== null &&
      typeof k === "object" &&
      k.kty === "OKP" &&
      k.crv === "Ed25519" &&
      typeof k.kid === "string" &&
      typeof k.x === "string",
  );
}

/** A KeyFetcher over HTTP: GET `url` (the service's /.well-known/jwks.json). */
export function httpKeyFetcher(url: string | URL, timeoutMs = 5_000): KeyFetcher {
  return async () => {
    const res = await fetch(url, {
      headers: { accept: "application/jwk-set+json, application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new KeySetUnavailableError(`GET ${String(url)} answered ${res.status}`);
    return (await res.json()) as JSONWebKeySet;
  };
}

/**
 * A KeyFetcher over RPC: GetSessionKeys through a generated client (Connect,
 * gRPC or gRPC-Web), for backends that reach UserHarbor only that way.
 */
export function rpcKeyFetcher(client: {
  getSessionKeys(request: object): Promise<{ jwksJson: string }>;
}): KeyFetcher {
  return async () => JSON.parse((await client.getSessionKeys({})).jwksJson) as JSONWebKeySet;
}
