import { CookiePolicy } from "@userharbor/sdk/http";
import { parseSetCookie } from "cookie";
import { describe, expect, it } from "vitest";

/** Cookie names and attributes (docs/integrations.md §2). */
describe("cookie policy", () => {
  it("defaults to __Host- names with HttpOnly; Secure; SameSite=Lax; Path=/ and no Domain", () => {
    const policy = new CookiePolicy();
    expect(policy.names).toEqual({
      session: "__Host-uh_session",
      assertion: "__Host-uh_assertion",
      device: "__Host-uh_device",
    });
    const raw = policy.set("session", "uhs_abc", 3600.9);
    expect(raw).toBe(
      "__Host-uh_session=uhs_abc; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Lax",
    );
    expect(parseSetCookie(policy.set("device", "uhd_x", policy.deviceMaxAgeSec))).toMatchObject({
      name: "__Host-uh_device",
      maxAge: 180 * 24 * 3600,
      httpOnly: true,
      secure: true,
      sameSite: "lax",
      path: "/",
    });
  });

  it("clears with the same attributes and Max-Age=0; a lifetime already over is 0, never negative", () => {
    const policy = new CookiePolicy();
    expect(policy.clear("assertion")).toBe(
      "__Host-uh_assertion=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
    );
    expect(parseSetCookie(policy.set("assertion", "a.b.c", -20)).maxAge).toBe(0);
  });

  it("drops Secure only under insecureDevCookies, and then the default names lose __Host-", () => {
    const dev = new CookiePolicy({ insecureDevCookies: true });
    expect(dev.names).toEqual({
      session: "uh_session",
      assertion: "uh_assertion",
      device: "uh_device",
    });
    const raw = dev.set("session", "uhs_abc", 60);
    expect(raw).toBe("uh_session=uhs_abc; Max-Age=60; Path=/; HttpOnly; SameSite=Lax");
    expect(dev.clear("device")).not.toContain("Secure");
    expect(new CookiePolicy({ insecureDevCookies: false }).set("session", "v", 1)).toContain(
      "; Secure",
    );
  });

  it("takes configured names, and refuses names browsers would drop or that collide", () => {
    const custom = new CookiePolicy({ cookieNames: { session: "__Host-app_sid" } });
    expect(custom.names).toMatchObject({ session: "__Host-app_sid", device: "__Host-uh_device" });
    expect(
      () => new CookiePolicy({ insecureDevCookies: true, cookieNames: { session: "__Host-s" } }),
    ).toThrow(TypeError);
    expect(
      () => new CookiePolicy({ insecureDevCookies: true, cookieNames: { device: "__Secure-d" } }),
    ).toThrow(TypeError);
    expect(() => new CookiePolicy({ cookieNames: { assertion: "__Host-uh_session" } })).toThrow(
      /differ/,
    );
    expect(() => new CookiePolicy({ cookieNames: { session: "bad name" } })).toThrow(TypeError);
    expect(() => new CookiePolicy({ deviceCookieMaxAgeSec: 0 })).toThrow(RangeError);
    expect(new CookiePolicy({ deviceCookieMaxAgeSec: 86_400 }).deviceMaxAgeSec).toBe(86_400);
  });

  it("reads only its own cookies from a Cookie header, ignoring empty ones", () => {
    const policy = new CookiePolicy();
    const header =
      "theme=dark; __Host-uh_session=uhs_1; uh_session=uhs_unprefixed; __Host-uh_assertion=; __Host-uh_device=uhd_2";
    expect(policy.read(header)).toEqual({ session: "uhs_1", device: "uhd_2" });
    expect(new CookiePolicy({ insecureDevCookies: true }).read(header)).toEqual({
      session: "uhs_unprefixed",
    });
    expect(policy.read(undefined)).toEqual({});
  });
});
