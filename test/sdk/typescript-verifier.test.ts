import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import {
  createSessionVerifier,
  httpKeyFetcher,
  rpcKeyFetcher,
  SessionAssertionError,
  type SessionVerifierOptions,
} from "@userharbor/sdk";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { signUp } from "../support/sign-up.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * The TypeScript verifier (sdk/typescript) against a real server: what the
 * server signs verifies; each kind of bad assertion gets its typed error; key
 * fetches and VerifySession calls are counted where they happen (a counting
 * key fetcher, a counting interceptor on a real gRPC transport).
 */

const HOUR = 3_600_000;
const PASSWORD = "verifier correct horse battery";
let serial = 0;
const username = () => `sdk${++serial}${Date.now().toString(36)}`;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    env: { REQUIRE_VERIFIED_EMAIL: "false", SESSION_KEY_ROTATION: "1h" },
  });
});
afterAll(() => t?.close());

/** A gRPC client whose VerifySession calls are counted. */
function countingClient() {
  const calls: string[] = [];
  const count: Interceptor = (next) => (req) => {
    calls.push(req.method.name);
    return next(req);
  };
  const client = createClient(
    AccountService,
    createGrpcTransport({ baseUrl: t.server.url, interceptors: [count] }),
  );
  return { client, calls };
}

/** A verifier on the server's manual clock, its key fetches counted. */
function verifier(options: Partial<SessionVerifierOptions> = {}) {
  const fetched = { count: 0 };
  const http = httpKeyFetcher(`${t.server.url}/.well-known/jwks.json`);
  const { client, calls } = countingClient();
  const v = createSessionVerifier({
    fetchKeys: () => {
      fetched.count++;
      return http();
    },
    issuer: "userharbor",
    client,
    now: () => t.clock.now().getTime(),
    ...options,
  });
  return { v, fetched, calls, client };
}

/** A signed-up account, its session token and Login's assertion. */
async function session() {
  const api = t.client("grpc");
  const name = username();
  const sessionToken = await signUp(api, { username: name, password: PASSWORD });
  const { sessionAssertion, userId } = await api.verifySession({
    sessionToken,
    issueAssertion: true,
  });
  const [listed] = (await api.listSessions({ sessionToken })).sessions;
  return { api, name, sessionToken, assertion: sessionAssertion, userId, sessionId: listed?.id };
}

/** The error code verify() refuses with (or "verified"). */
async function codeOf(v: { verify(a: string): Promise<unknown> }, assertion: string) {
  try {
    await v.verify(assertion);
    return "verified";
  } catch (error) {
    if (error instanceof SessionAssertionError) return error.code;
    throw error;
  }
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const parts = (jws: string) => {
  const [header, payload, signature] = jws.split(".") as [string, string, string];
  const json = (s: string) => JSON.parse(Buffer.from(s, "base64url").toString()) as object;
  return { header: json(header), payload: json(payload), signature, raw: { header, payload } };
};

describe("verify", () => {
  it("returns the claims of an assertion the server issued, fetching the key set once", async () => {
    const s = await session();
    const { v, fetched } = verifier();
    const claims = await v.verify(s.assertion);
    expect(claims).toEqual({
      accountId: s.userId,
      sessionId: s.sessionId,
      username: s.name,
      emailVerified: false,
      expiresAt: new Date((parts(s.assertion).payload as { exp: number }).exp * 1000),
    });
    const other = await session();
    await v.verify(other.assertion);
    expect(fetched.count).toBe(1);
  });

  it("works from the URL alone (jwksUrl) and from GetSessionKeys over gRPC (rpcKeyFetcher)", async () => {
    const s = await session();
    const byUrl = createSessionVerifier({
      jwksUrl: `${t.server.url}/.well-known/jwks.json`,
      issuer: "userharbor",
      now: () => t.clock.now().getTime(),
    });
    const byRpc = createSessionVerifier({
      fetchKeys: rpcKeyFetcher(countingClient().client),
      issuer: "userharbor",
      now: () => t.clock.now().getTime(),
    });
    expect((await byUrl.verify(s.assertion)).sessionId).toBe(s.sessionId);
    expect((await byRpc.verify(s.assertion)).sessionId).toBe(s.sessionId);
  });

  it("refuses each kind of bad assertion with its typed error", async () => {
    const s = await session();
    const { v } = verifier();
    const { header, payload, signature, raw } = parts(s.assertion);
    const published = JSON.parse((await s.api.getSessionKeys({})).jwksJson) as {
      keys: { kid: string }[];
    };
    const ownKid = (header as { kid: string }).kid;
    const otherKid = published.keys.map((k) => k.kid).find((kid) => kid !== ownKid) as string;
    const stranger = await generateKeyPair("EdDSA");
    const signedBy = (key: Parameters<SignJWT["sign"]>[0], alg = "EdDSA", kid = ownKid) =>
      new SignJWT(payload as never).setProtectedHeader({ alg, kid }).sign(key);

    const cases: [string, string, string][] = [
      ["the real one", s.assertion, "verified"],
      [
        "a tampered payload",
        `${raw.header}.${b64({ ...payload, username: "admin" })}.${signature}`,
        "bad_signature",
      ],
      ["signed by another key under our kid", await signedBy(stranger.privateKey), "bad_signature"],
      [
        "another published kid",
        `${b64({ ...header, kid: otherKid })}.${raw.payload}.${signature}`,
        "bad_signature",
      ],
      [
        "a kid nobody published",
        `${b64({ ...header, kid: "no-such-key" })}.${raw.payload}.${signature}`,
        "unknown_key",
      ],
      ["alg none", `${b64({ alg: "none", kid: ownKid })}.${raw.payload}.`, "malformed"],
      ["no kid", `${b64({ alg: "EdDSA" })}.${raw.payload}.${signature}`, "malformed"],
      ["not a JWS", "not-a-jws", "malformed"],
      ["empty", "", "malformed"],
      ["three dots of junk", "a.b.c", "malformed"],
    ];
    const got = [];
    for (const [name, assertion] of cases) got.push([name, await codeOf(v, assertion)]);
    expect(got).toEqual(cases.map(([name, , code]) => [name, code]));

    const wrongIssuer = verifier({ issuer: "https://someone-else.example" }).v;
    expect(await codeOf(wrongIssuer, s.assertion)).toBe("wrong_issuer");
    const wrongAudience = verifier({ audience: "shop-backend" }).v;
    expect(await codeOf(wrongAudience, s.assertion)).toBe("wrong_audience");
  });

  it("refuses an expired assertion, even one it verified and cached before, within its 5 s leeway at most", async () => {
    const s = await session();
    const { v } = verifier();
    const cached = await v.verify(s.assertion);
    const exp = cached.expiresAt.getTime();
    t.clock.advance(exp - t.clock.now().getTime() + 4_000); // 4 s late: within the leeway
    expect(await codeOf(v, s.assertion)).toBe("verified");
    t.clock.advance(2_000); // 6 s late
    expect(await codeOf(v, s.assertion)).toBe("expired");
    expect(await codeOf(verifier({ clockToleranceSec: 0 }).v, s.assertion)).toBe("expired");
  });

  it("refetches for an unknown kid at most once per 30 s: garbage kids cannot make it hammer the server", async () => {
    const s = await session();
    const { v, fetched } = verifier();
    await v.verify(s.assertion);
    const { raw, signature } = parts(s.assertion);
    const garbage = (n: number) =>
      `${b64({ alg: "EdDSA", kid: `garbage-${n}` })}.${raw.payload}.${signature}`;
    for (let n = 0; n < 50; n++) expect(await codeOf(v, garbage(n))).toBe("unknown_key");
    expect(fetched.count).toBe(1); // fetched just now: no refetch yet
    t.clock.advance(30_000);
    for (let n = 50; n < 100; n++) expect(await codeOf(v, garbage(n))).toBe("unknown_key");
    expect(fetched.count).toBe(2); // one refetch for the whole burst
    expect(v.stats.keyFetches).toBe(2);
  });

  it("picks up a new kid on first sight, and refreshes the held set on its schedule", async () => {
    const { v, fetched } = verifier({ refreshIntervalMs: 60_000 });
    const first = await session();
    await v.verify(first.assertion);
    expect(fetched.count).toBe(1);
    // Two rotations later the server signs with a key the held set never had.
    t.clock.advance(2 * HOUR);
    const later = await first.api.verifySession({
      sessionToken: first.sessionToken,
      issueAssertion: true,
    });
    expect((await v.verify(later.sessionAssertion)).sessionId).toBe(first.sessionId);
    expect(fetched.count).toBe(2);
    // A held set older than the refresh interval is refreshed in the background.
    t.clock.advance(60_000);
    await v.verify(later.sessionAssertion); // cached answer; the refresh starts anyway
    const fresh = await session();
    await v.verify(fresh.assertion);
    await eventually(async () => expect(fetched.count).toBe(3));
  });

  it("refuses out-of-range options", () => {
    const base = { jwksUrl: "http://127.0.0.1:9/.well-known/jwks.json", issuer: "userharbor" };
    expect(() => createSessionVerifier({ ...base, clockToleranceSec: 6 })).toThrow(RangeError);
    expect(() => createSessionVerifier({ ...base, refreshIntervalMs: 29_000 })).toThrow(RangeError);
    expect(() => createSessionVerifier({ ...base, refreshIntervalMs: 31 * 60_000 })).toThrow(
      RangeError,
    );
    expect(() => createSessionVerifier({ issuer: "userharbor" })).toThrow(TypeError);
    expect(() => createSessionVerifier({ ...base, fetchKeys: async () => ({ keys: [] }) })).toThrow(
      TypeError,
    );
  });
});

describe("check", () => {
  it("makes no server call while the assertion is fresh, and a repeated one verifies no signature", async () => {
    const s = await session();
    const { v, calls } = verifier();
    const first = await v.check(s.sessionToken, s.assertion);
    expect(first).toMatchObject({ assertion: s.assertion, fromServer: false });
    expect(first?.user).toMatchObject({ accountId: s.userId, sessionId: s.sessionId });
    const checks = v.stats.signatureChecks;
    for (let i = 0; i < 20; i++) {
      const again = await v.check(s.sessionToken, s.assertion);
      expect(again?.user).toBe(first?.user); // the cached claims object itself
    }
    expect(v.stats.signatureChecks).toBe(checks);
    expect(v.stats.cacheHits).toBe(20);
    expect(calls).toEqual([]);
  });

  it("makes exactly one VerifySession when the assertion is stale, and returns the new one to keep", async () => {
    const s = await session();
    const { v, calls } = verifier();
    t.clock.advance(301_000 + 5_000); // past exp and the leeway
    const renewed = await v.check(s.sessionToken, s.assertion);
    expect(calls).toEqual(["VerifySession"]);
    expect(renewed).toMatchObject({ fromServer: true, user: { sessionId: s.sessionId } });
    expect(renewed?.assertion).not.toBe(s.assertion);
    // The new assertion serves the next requests with no call.
    expect(await v.check(s.sessionToken, renewed?.assertion)).toMatchObject({ fromServer: false });
    expect(calls).toEqual(["VerifySession"]);
    // No assertion at all, or a forged one: one call each, never a local yes.
    await v.check(s.sessionToken);
    const forged = `${renewed?.assertion.slice(0, -4)}AAAA`;
    expect(await v.check(s.sessionToken, forged)).toMatchObject({ fromServer: true });
    expect(calls).toHaveLength(3);
  });

  it("strict: reports a revoked session at once; the default check keeps the documented lag until exp", async () => {
    const s = await session();
    const { v, calls } = verifier();
    await s.api.logout({ sessionToken: s.sessionToken });
    expect(await v.check(s.sessionToken, s.assertion, { strict: true })).toBeNull();
    expect(calls).toEqual(["VerifySession"]);
    expect(await v.check(s.sessionToken, s.assertion)).toMatchObject({ fromServer: false });
    t.clock.advance(306_000);
    expect(await v.check(s.sessionToken, s.assertion)).toBeNull();
    expect(calls).toEqual(["VerifySession", "VerifySession"]);
  });

  it("no session token and no usable assertion: null without a call", async () => {
    const { v, calls } = verifier();
    expect(await v.check("")).toBeNull();
    expect(await v.check("", "not-a-jws")).toBeNull();
    expect(calls).toEqual([]);
    expect(await v.check(`uhs_${"A".repeat(43)}`)).toBeNull();
    expect(calls).toEqual(["VerifySession"]);
  });

  it("keeps at most cacheMaxEntries verified assertions, and none with the cache off", async () => {
    const sessions = [await session(), await session(), await session()];
    const { v } = verifier({ cacheMaxEntries: 2 });
    for (const s of sessions) await v.verify(s.assertion);
    expect(v.stats.signatureChecks).toBe(3);
    await v.verify((sessions[2] as { assertion: string }).assertion); // still held
    expect(v.stats.signatureChecks).toBe(3);
    await v.verify((sessions[0] as { assertion: string }).assertion); // evicted: verified again
    expect(v.stats.signatureChecks).toBe(4);
    const off = verifier({ cacheMaxEntries: 0 }).v;
    for (let i = 0; i < 3; i++) await off.verify((sessions[0] as { assertion: string }).assertion);
    expect(off.stats).toMatchObject({ signatureChecks: 3, cacheHits: 0 });
  });
});
