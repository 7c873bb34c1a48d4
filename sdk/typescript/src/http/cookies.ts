import { parse, serialize } from "cookie";

/** The three cookies a browser session uses. */
export type CookieKind = "session" | "assertion" | "device";
export type CookieNames = Record<CookieKind, string>;

/** Default names: `__Host-` makes browsers insist on Secure, Path=/ and no Domain. */
export const SECURE_COOKIE_NAMES: Readonly<CookieNames> = {
  session: "__Host-uh_session",
  assertion: "__Host-uh_assertion",
  device: "__Host-uh_device",
};
/** Default names under `insecureDevCookies` (browsers refuse `__Host-` cookies without Secure). */
export const DEV_COOKIE_NAMES: Readonly<CookieNames> = {
  session: "uh_session",
  assertion: "uh_assertion",
  device: "uh_device",
};
/** The device cookie's lifetime: UserHarbor's DEVICE_TOKEN_TTL default, 180 days. */
export const DEVICE_COOKIE_MAX_AGE_SEC = 180 * 24 * 3600;

export interface CookieOptions {
  /** Other names, per cookie. A `__Host-` or `__Secure-` name needs Secure cookies. */
  cookieNames?: Partial<CookieNames>;
  /** Device cookie lifetime in seconds: match the server's DEVICE_TOKEN_TTL. Default 180 days. */
  deviceCookieMaxAgeSec?: number;
  /**
   * Development over plain http only: drops `Secure`, and the default names lose
   * their `__Host-` prefix. Never in production: the cookies would travel in clear.
   */
  insecureDevCookies?: boolean;
}

/**
 * Names and attributes of the integration's cookies: `HttpOnly; Secure;
 * SameSite=Lax; Path=/`, no Domain. Reads them from a Cookie header and writes
 * whole Set-Cookie values.
 */
export class CookiePolicy {
  readonly names: Readonly<CookieNames>;
  readonly secure: boolean;
  readonly deviceMaxAgeSec: number;

  constructor(options: CookieOptions = {}) {
    this.secure = !options.insecureDevCookies;
    this.names = {
      ...(this.secure ? SECURE_COOKIE_NAMES : DEV_COOKIE_NAMES),
      ...options.cookieNames,
    };
    this.deviceMaxAgeSec = options.deviceCookieMaxAgeSec ?? DEVICE_COOKIE_MAX_AGE_SEC;
    if (!(Number.isInteger(this.deviceMaxAgeSec) && this.deviceMaxAgeSec > 0)) {
      throw new RangeError("deviceCookieMaxAgeSec must be a whole number of seconds > 0");
    }
    const names = Object.values(this.names);
    if (new Set(names).size !== names.length) throw new TypeError("cookie names must differ");
    for (const name of names) {
      if (!this.secure && /^__(Host|Secure)-/i.test(name)) {
        throw new TypeError(`cookie ${name}: browsers refuse that prefix without Secure`);
      }
      serialize(name, ""); // throws on a name that is not an RFC 6265 token
    }
  }

  /** The integration's cookies in a Cookie header (absent or empty ones left out). */
  read(cookieHeader: string | undefined): Partial<Record<CookieKind, string>> {
    if (!cookieHeader) return {};
    const jar = parse(cookieHeader);
    const found: Partial<Record<CookieKind, string>> = {};
    for (const kind of ["session", "assertion", "device"] as const) {
      const value = jar[this.names[kind]];
      if (value) found[kind] = value;
    }
    return found;
  }

  /** A Set-Cookie value that stores `value` for `maxAgeSec` seconds. */
  set(kind: CookieKind, value: string, maxAgeSec: number): string {
    return serialize(this.names[kind], value, {
      ...this.#attributes(),
      maxAge: Math.max(0, Math.floor(maxAgeSec)),
    });
  }

  /** A Set-Cookie value that deletes the cookie (same attributes, Max-Age=0). */
  clear(kind: CookieKind): string {
    return serialize(this.names[kind], "", { ...this.#attributes(), maxAge: 0 });
  }

  #attributes() {
    return { httpOnly: true, secure: this.secure, sameSite: "lax", path: "/" } as const;
  }
}
