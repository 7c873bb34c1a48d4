import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchKeySet, kidsOf, servedKeys, signedCount, verifyWith } from "../support/assertions.js";
import { signUp } from "../support/sign-up.js";
import { PROTOCOLS, startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Session assertions end to end: a real server on 127.0.0.1, real clients over
 * every protocol, and jose (a JOSE library any backend could use) verifying
 * what the server signs against the key set it serves. Key rotation is
 * key-rotation.test.ts.
 */

const PASSWORD = "assertions correct horse battery";
const client = { ip: "198.51.100.30", userAgent: "assertion-test" };
let serial = 0;
const username = () => `assert${++serial}${randomBytes(3).toString("hex")}`;
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

describe("session assertions", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { REQUIRE_VERIFIED_EMAIL: "false" } });
  });
  afterAll(() => t?.close());

  /** A verified account and a Login over `protocol`. */
  async function verifiedLogin(protocol: (typeof PROTOCOLS)[number]) {
    const api = t.client(protocol);
    const name = username();
    const email = `${name}@example.com`;
    const token = await t.mailbox.tokenFrom(email, "verification", () =>
      api.register({ username: name, email, password: PASSWORD, client }),
    );
    await api.verifyEmail({ token, client });
    return { api, name, login: await api.login({ username: name, password: PASSWORD, client }) };
  }

  it.each(
    PROTOCOLS,
  )("over %s: Login returns an assertion jose verifies with the served /.well-known/jwks.json, with the listed claims", async (protocol) => {
    const before = t.clock.now();
    const { api, name, login } = await verifiedLogin(protocol);
    const [session] = (await api.listSessions({ sessionToken: login.sessionToken })).sessions;
    // jose fetching the set over HTTP, as an API gateway or a backend would.
    const remote = createRemoteJWKSet(new URL(`${t.server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(login.sessionAssertion, remote, {
      issuer: "userharbor",
      algorithms: ["EdDSA"],
      currentDate: t.clock.now(),
    });
    expect(protectedHeader).toEqual({ alg: "EdDSA", typ: "JWT", kid: expect.any(String) });
    expect(kidsOf(await servedKeys(t))[1]).toBe(protectedHeader.kid); // the current period's key
    expect(payload).toEqual({
      iss: "userharbor",
      sub: login.user?.id,
      sid: session?.id,
      username: name,
      email_verified: true,
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(payload.iat).toBeGreaterThanOrEqual(seconds(before));
    expect(payload.exp).toBe((payload.iat as number) + 300);
  });

  it.each(
    PROTOCOLS,
  )("over %s: VerifySession signs only when asked, and nothing for a session that is not live", async (protocol) => {
    const api = t.client(protocol);
    const sessionToken = await signUp(api, { username: username(), password: PASSWORD, client });
    const signed = await signedCount(t);

    const plain = await api.verifySession({ sessionToken });
    const asked = await api.verifySession({ sessionToken, issueAssertion: false });
    expect([plain.valid, plain.sessionAssertion, asked.valid, asked.sessionAssertion]).toEqual([
      true,
      "",
      true,
      "",
    ]);
    expect(await signedCount(t)).toBe(signed); // zero signing work on the hot path

    const issued = await api.verifySession({ sessionToken, issueAssertion: true });
    expect(issued.valid).toBe(true);
    expect(await signedCount(t)).toBe(signed + 1);
    const claims = await verifyWith(await servedKeys(t), issued.sessionAssertion, t.clock.now());
    expect(claims).toMatchObject({ sub: issued.userId, username: issued.username });

    await api.logout({ sessionToken });
    for (const token of [sessionToken, "", `uhs_${"A".repeat(43)}`, "uhv_not-a-session"]) {
      expect(await api.verifySession({ sessionToken: token, issueAssertion: true })).toMatchObject({
        valid: false,
        sessionAssertion: "",
        userId: "",
        username: "",
      });
    }
    expect(await signedCount(t)).toBe(signed + 1);
  });

  it("GetSessionKeys and /.well-known/jwks.json serve the same public set, cacheable, with no private member", async () => {
    const rpc = (await t.client("connect").getSessionKeys({})).jwksJson;
    const http = await fetchKeySet(t.server.url);
    expect(http).toEqual({
      status: 200,
      contentType: "application/jwk-set+json",
      cacheControl: "public, max-age=600",
      body: rpc,
    });
    for (const protocol of PROTOCOLS) {
      expect((await t.client(protocol).getSessionKeys({})).jwksJson).toBe(rpc);
    }
    const set = JSON.parse(rpc) as { keys: Record<string, unknown>[] };
    expect(set.keys).toHaveLength(3);
    for (const key of set.keys) {
      expect(key).not.toHaveProperty("d");
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    }
    // HTTP/2 too (the port serves both), and HEAD; other methods are refused.
    const h2 = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      import("node:http2").then(({ connect }) => {
        const session = connect(t.server.url);
        const req = session.request({ ":path": "/.well-known/jwks.json" });
        let body = "";
        let status = 0;
        req.on("response", (headers) => {
          status = Number(headers[":status"]);
        });
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => {
          body += chunk;
        });
        req.on("end", () => {
          session.close();
          resolve({ status, body });
        });
        req.on("error", reject);
      }, reject);
    });
    expect(h2).toEqual({ status: 200, body: rpc });
    expect(await fetchKeySet(t.server.url, "HEAD")).toMatchObject({ status: 200, body: "" });
    expect((await fetchKeySet(t.server.url, "POST")).status).toBe(405);
  });

  it.each(
    PROTOCOLS,
  )("over %s: GetSessionKeys' answer carries the same Cache-Control", async (protocol) => {
    let cacheControl: string | null = null;
    await t.client(protocol).getSessionKeys(
      {},
      {
        onHeader: (headers) => {
          cacheControl = headers.get("cache-control");
        },
      },
    );
    expect(cacheControl).toBe("public, max-age=600");
  });

  it("revocation: after Logout the assertion still verifies locally until its exp, while VerifySession says invalid at once", async () => {
    const { api, login } = await verifiedLogin("grpc");
    const keys = await servedKeys(t);
    await api.logout({ sessionToken: login.sessionToken });
    expect((await api.verifySession({ sessionToken: login.sessionToken })).valid).toBe(false);
    // The documented lag: a backend checking only locally still accepts it...
    expect(await verifyWith(keys, login.sessionAssertion, t.clock.now())).toMatchObject({
      sub: login.user?.id,
    });
    // ...until exp, never after.
    const exp = (await verifyWith(keys, login.sessionAssertion, t.clock.now())) as { exp: number };
    t.clock.advance(exp.exp * 1000 - t.clock.now().getTime() - 1_000);
    expect(await verifyWith(keys, login.sessionAssertion, t.clock.now())).toMatchObject({
      exp: exp.exp,
    });
    t.clock.advance(1_000);
    expect(await verifyWith(keys, login.sessionAssertion, t.clock.now())).toBe("ERR_JWT_EXPIRED");
  });
});

describe("session assertion settings", () => {
  it("an assertion never outlives its session, and names the configured issuer and audience", async () => {
    const t = await startTestServer({
      env: {
        SESSION_IDLE_TTL: "2m",
        ASSERTION_ISSUER: "https://accounts.example.com",
        ASSERTION_AUDIENCE: "shop-backend",
        REQUIRE_VERIFIED_EMAIL: "false",
      },
    });
    try {
      const api = t.client("grpc");
      const name = username();
      await api.register({ username: name, email: `${name}@example.com`, password: PASSWORD });
      const login = await api.login({ username: name, password: PASSWORD, client });
      const claims = await verifyWith(await servedKeys(t), login.sessionAssertion, t.clock.now(), {
        issuer: "https://accounts.example.com",
        audience: "shop-backend",
      });
      const sessionEnds = Number(login.expireTime?.seconds);
      // The 2-minute idle expiry comes before the 5-minute assertion lifetime.
      expect(claims).toMatchObject({
        iss: "https://accounts.example.com",
        aud: "shop-backend",
        email_verified: false,
        exp: sessionEnds,
      });
      const again = await api.verifySession({
        sessionToken: login.sessionToken,
        issueAssertion: true,
      });
      const renewed = await verifyWith(await servedKeys(t), again.sessionAssertion, t.clock.now(), {
        issuer: "https://accounts.example.com",
        audience: "shop-backend",
      });
      expect((renewed as { exp: number }).exp).toBeLessThanOrEqual(
        Number(again.expireTime?.seconds),
      );
      // Another audience is refused by any verifier that checks it.
      expect(
        await verifyWith(await servedKeys(t), login.sessionAssertion, t.clock.now(), {
          issuer: "https://accounts.example.com",
          audience: "another-backend",
        }),
      ).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
      expect(decodeProtectedHeader(login.sessionAssertion).alg).toBe("EdDSA");
    } finally {
      await t.close();
    }
  });
});

describe("two replicas with one configuration", () => {
  let a: TestServer;
  let b: TestServer;
  let stranger: TestServer;
  beforeAll(async () => {
    const env = { SECRET_KEY: randomBytes(32).toString("hex"), REQUIRE_VERIFIED_EMAIL: "false" };
    a = await startTestServer({ env });
    b = await startTestServer({ env, storeInstance: a.store }); // one store, as replicas share one
    stranger = await startTestServer({ env: { REQUIRE_VERIFIED_EMAIL: "false" } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await stranger?.close();
  });

  it("publish the same set and sign with the same current key, without talking to each other", async () => {
    const [setA, setB] = [await fetchKeySet(a.server.url), await fetchKeySet(b.server.url)];
    expect(setB.body).toBe(setA.body);
    const sessionToken = await signUp(a.client("grpc"), {
      username: username(),
      password: PASSWORD,
      client,
    });
    const fromA = (await a.client("grpc").verifySession({ sessionToken, issueAssertion: true }))
      .sessionAssertion;
    const fromB = (await b.client("connect").verifySession({ sessionToken, issueAssertion: true }))
      .sessionAssertion;
    expect(decodeProtectedHeader(fromB).kid).toBe(decodeProtectedHeader(fromA).kid);
    // Each verifies against the other's published set.
    expect(await verifyWith(await servedKeys(b), fromA, a.clock.now())).toMatchObject({
      sub: expect.any(String),
    });
    expect(await verifyWith(await servedKeys(a), fromB, b.clock.now())).toMatchObject({
      sub: expect.any(String),
    });
  });

  it("a server with another SECRET_KEY shares no key: its set refuses their assertions", async () => {
    const theirs = new Set(kidsOf(await servedKeys(a)));
    expect(kidsOf(await servedKeys(stranger)).filter((kid) => theirs.has(kid))).toEqual([]);
    const sessionToken = await signUp(a.client("grpc"), {
      username: username(),
      password: PASSWORD,
      client,
    });
    const { sessionAssertion } = await a
      .client("grpc")
      .verifySession({ sessionToken, issueAssertion: true });
    expect(await verifyWith(await servedKeys(stranger), sessionAssertion, a.clock.now())).toBe(
      "ERR_JWKS_NO_MATCHING_KEY",
    );
  });
});
