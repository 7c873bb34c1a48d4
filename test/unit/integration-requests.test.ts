import {
  BearerAssertions,
  bindAssertion,
  boundAssertion,
  clientContextOf,
  createIntegration,
  type IncomingFacts,
  plainIp,
  readLoginBody,
} from "@userharbor/sdk/http";
import { describe, expect, it } from "vitest";

const facts = (headers: Record<string, string>, ip = "192.0.2.1"): IncomingFacts => ({
  method: "POST",
  header: (name) => headers[name],
  ip,
  origin: "https://app.example",
});

describe("ClientContext from a request", () => {
  it("takes the framework's address (IPv4-mapped IPv6 as IPv4), the User-Agent cut to 512, the device cookie", () => {
    expect(
      clientContextOf(facts({ "user-agent": "ua/1", "x-forwarded-for": "203.0.113.9" }), "uhd_x"),
    ).toEqual({
      ip: "192.0.2.1",
      userAgent: "ua/1",
      deviceToken: "uhd_x",
    });
    expect(clientContextOf(facts({ "user-agent": "x".repeat(600) })).userAgent).toHaveLength(512);
    expect(clientContextOf(facts({}, "::ffff:198.51.100.7"))).toEqual({
      ip: "198.51.100.7",
      userAgent: "",
      deviceToken: "",
    });
    expect(plainIp("2001:db8::1")).toBe("2001:db8::1");
    expect(plainIp("::FFFF:10.0.0.1")).toBe("10.0.0.1");
    // No IP at all (a Unix socket, a test client's name, proxy junk): sent empty, so
    // UserHarbor counts the connection's address instead of refusing the call.
    for (const junk of ["testclient", "unix:/run/app.sock", "203.0.113.7, 10.0.0.1", ""]) {
      expect(plainIp(junk)).toBe("");
    }
  });
});

describe("login body", () => {
  const problemOf = (body: unknown, contentType?: string) => {
    const read = readLoginBody(body, contentType);
    return "problem" in read ? read.problem.toAnswer().body : undefined;
  };

  it("accepts what the framework parsed, or JSON text of a JSON content type", () => {
    const credentials = { username: "ada", password: "pw" };
    expect(readLoginBody(credentials, undefined)).toEqual(credentials);
    expect(readLoginBody(JSON.stringify(credentials), "application/json; charset=utf-8")).toEqual(
      credentials,
    );
    expect(
      readLoginBody(Buffer.from(JSON.stringify(credentials)), "application/vnd.api+json"),
    ).toEqual(credentials);
  });

  it.each([
    ["no body", undefined, undefined],
    ["form data", "username=ada&password=pw", "application/x-www-form-urlencoded"],
    [
      "JSON sent as text/plain (a cross-site form's trick)",
      '{"username":"ada","password":"pw"}',
      "text/plain",
    ],
    ["malformed JSON", '{"username":', "application/json"],
    ["an array", "[]", "application/json"],
    ["null", "null", "application/json"],
  ])("refuses %s with 400 INVALID_REQUEST", (_name, body, contentType) => {
    expect(problemOf(body, contentType)).toMatchObject({ status: 400, code: "INVALID_REQUEST" });
  });

  it("names each missing or mistyped field", () => {
    expect(problemOf({ username: "", password: 12 })).toMatchObject({
      code: "INVALID_REQUEST",
      errors: [
        { field: "username", description: expect.any(String) },
        { field: "password", description: expect.any(String) },
      ],
    });
    expect(problemOf({ username: "ada" })).toMatchObject({ errors: [{ field: "password" }] });
  });
});

describe("bearer assertions", () => {
  it("are found only by the token they were issued for, bounded, least recently used out first", () => {
    const map = new BearerAssertions(2);
    map.set("uhs_a", "assertion-a");
    map.set("uhs_b", "assertion-b");
    expect(map.get("uhs_a")).toBe("assertion-a");
    map.set("uhs_c", "assertion-c"); // evicts b, the least recently used
    expect([map.get("uhs_a"), map.get("uhs_b"), map.get("uhs_c"), map.size]).toEqual([
      "assertion-a",
      undefined,
      "assertion-c",
      2,
    ]);
    map.delete("uhs_a");
    expect(map.get("uhs_a")).toBeUndefined();
    expect(() => new BearerAssertions(0)).toThrow(RangeError);
  });
});

describe("assertion cookie", () => {
  it("holds the assertion bound to its session token, and yields it for that token only", () => {
    const value = bindAssertion("h.p.s", "uhs_owner");
    expect(value).toMatch(/^h\.p\.s~[A-Za-z0-9_-]{43}$/);
    expect(boundAssertion(value, "uhs_owner")).toBe("h.p.s");
    expect(boundAssertion(value, "uhs_someone_else")).toBeUndefined();
    expect(boundAssertion("h.p.s", "uhs_owner")).toBeUndefined(); // an unbound (old-format) value
    expect(boundAssertion(`${value}x`, "uhs_owner")).toBeUndefined();
    expect(boundAssertion(undefined, "uhs_owner")).toBeUndefined();
  });
});

describe("login and logout take POST only", () => {
  it.each([
    "GET",
    "HEAD",
    "PUT",
    "DELETE",
  ])("%s: 405 METHOD_NOT_ALLOWED with Allow: POST, before anything else", async (method) => {
    // A closed port: answering at all proves no call to UserHarbor was made.
    const integration = createIntegration({ url: "http://127.0.0.1:9" });
    const req = { ...facts({ cookie: "__Host-uh_session=uhs_x" }), method };
    for (const answer of [await integration.login(req, undefined), await integration.logout(req)]) {
      expect(answer).toMatchObject({ status: 405, headers: { allow: "POST" }, setCookies: [] });
      expect(answer.body).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
    }
  });
});
