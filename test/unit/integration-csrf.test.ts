import { isCrossSiteRefused } from "@userharbor/sdk/http";
import { describe, expect, it } from "vitest";

/** The CSRF decision of docs/integrations.md §7, row by row. */
const OWN = "https://app.example";
const ALLOWED = new Set(["https://admin.example"]);
const EVIL = "https://evil.example";

const ROWS: [
  method: string,
  secFetchSite: string | undefined,
  origin: string | undefined,
  refused: boolean,
][] = [
  // Safe methods are never refused, whatever the headers say.
  ["GET", "cross-site", EVIL, false],
  ["HEAD", "cross-site", EVIL, false],
  ["OPTIONS", "cross-site", EVIL, false],
  // Sec-Fetch-Site: same-origin and none (typed URL, bookmark) pass.
  ["POST", "same-origin", OWN, false],
  ["POST", "same-origin", undefined, false],
  ["POST", "none", undefined, false],
  ["POST", "Same-Origin", undefined, false],
  // Any other Sec-Fetch-Site needs an allowed Origin.
  ["POST", "cross-site", EVIL, true],
  ["POST", "cross-site", undefined, true],
  ["POST", "cross-site", "https://admin.example", false],
  ["POST", "same-site", "https://sibling.app.example", true],
  ["POST", "same-site", OWN, false],
  ["POST", "something-new", EVIL, true],
  ["POST", "something-new", OWN, false],
  // No Sec-Fetch-Site: an Origin must be allowed; no Origin either (curl, old browsers) passes.
  ["POST", undefined, undefined, false],
  ["POST", undefined, OWN, false],
  ["POST", undefined, "https://app.example:443", false],
  ["POST", undefined, "HTTPS://APP.EXAMPLE", false],
  ["POST", undefined, "http://app.example", true], // another scheme is another origin
  ["POST", undefined, "https://app.example:8443", true],
  ["POST", undefined, EVIL, true],
  ["POST", undefined, "null", true], // sandboxed frames, privacy redirects
  ["POST", undefined, "not a url", true],
  ["POST", undefined, "file:///etc/passwd", true],
  ["POST", undefined, "https://admin.example", false],
  // Every unsafe method is checked, in any case.
  ["PUT", "cross-site", EVIL, true],
  ["PATCH", "cross-site", EVIL, true],
  ["DELETE", undefined, EVIL, true],
  ["post", undefined, EVIL, true],
  ["get", "cross-site", EVIL, false],
];

describe("CSRF decision (Sec-Fetch-Site, then Origin against the own and allowed origins)", () => {
  it.each(
    ROWS,
  )("%s with Sec-Fetch-Site %s and Origin %s: refused %s", (method, secFetchSite, origin, refused) => {
    expect(
      isCrossSiteRefused({ method, secFetchSite, origin, ownOrigin: OWN, allowedOrigins: ALLOWED }),
    ).toBe(refused);
  });

  it("takes the app's own origin as the request gave it (port included)", () => {
    const facts = { method: "POST", secFetchSite: undefined, allowedOrigins: new Set<string>() };
    expect(
      isCrossSiteRefused({
        ...facts,
        origin: "http://127.0.0.1:3000",
        ownOrigin: "http://127.0.0.1:3000",
      }),
    ).toBe(false);
    expect(
      isCrossSiteRefused({
        ...facts,
        origin: "http://127.0.0.1:3001",
        ownOrigin: "http://127.0.0.1:3000",
      }),
    ).toBe(true);
  });
});
