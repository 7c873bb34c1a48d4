import type { Requirement } from "./exchange.js";

export interface RouteOptions {
  /** Always ask UserHarbor (one VerifySession): a revoked session is refused at once. */
  strict?: boolean;
}

/** The three route guards every adapter offers, as its framework's handler type `H`. */
export interface Guards<H> {
  /** 401 problem+json without a valid session; else the user. */
  requireUser(options?: RouteOptions): H;
  /** The user when signed in, else anonymous; never 401. */
  optionalUser(options?: RouteOptions): H;
  /** requireUser, and 403 EMAIL_NOT_VERIFIED unless the email is verified. */
  requireVerifiedEmail(options?: RouteOptions): H;
}

/** An adapter's guards from its one way of turning a Requirement into a handler. */
export function guardsOf<H>(handlerFor: (requirement: Requirement) => H): Guards<H> {
  const guard =
    (user: Requirement["user"]) =>
    ({ strict = false }: RouteOptions = {}) =>
      handlerFor({ user, strict });
  return {
    requireUser: guard("required"),
    optionalUser: guard("optional"),
    requireVerifiedEmail: guard("verified-email"),
  };
}
