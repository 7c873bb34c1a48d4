import { createHash, randomBytes } from "node:crypto";
import { STATUS_CODES } from "node:http";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpcCalls } from "../support/metrics.js";
import { freePort } from "../support/processes.js";
import type { MemoryTables } from "../support/store-invariants.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { type AppInstance, type ExampleApp, exampleApps, startApp } from "./example-apps.js";
import { cookieHeader, type Reply, send } from "./http-client.js";

/**
 * The framework integrations' shared contract (docs/integrations.md, section 9), run
 * against every example app (`examples/<name>/run.sh`) as a child process, with a real
 * UserHarbor on 127.0.0.1 (manual clock) and a plain HTTP client that handles cookies
 * by hand, so every flag can be asserted. An app whose toolchain (`# requires:` in
 * run.sh) is missing is skipped with the reason; under CI=true it fails instead.
 */

const apps = await exampleApps();
const inCi = process.env.CI === "true";

/** The backend's key: `client-ip`, so the end user's address counts (docs/integrations.md §4). */
const API_KEY = "conformance-backend-key-0001";
const keyed = { headers: { authorization: `Bearer ${API_KEY}` } };
const PASSWORD = "conformance correct horse 1";
const NAMES = {
  session: "__Host-uh_session",
  assertion: "__Host-uh_assertion",
  device: "__Host-uh_device",
} as const;
/** The server's SESSION_ASSERTION_TTL (its default), and the verifiers' largest leeway. */
const ASSERTION_TTL_SEC = 300;
const MAX_LEEWAY_SEC = 5;
const DEVICE_MAX_AGE_SEC = 180 * 24 * 3600;
/** First start may build (Go, Maven): minutes; later starts reuse the build. */
const FIRST_START_MS = 10 * 60_000;

describe("example apps for the conformance suite", () => {
  it("exist: at least examples/express and examples/fastify", () => {
    expect(apps.map((app) => app.name)).toEqual(expect.arrayContaining(["express", "fastify"]));
  });
  it.each(
    apps.filter((app) => app.missing.length > 0),
  )("$name: its toolchain is installed (needed under CI)", (app) => {
    const message = `${app.name}: ${app.missing.join(", ")} not found on PATH`;
    if (inCi) throw new Error(`${message}; CI installs every toolchain`);
    console.warn(`skipping the ${app.name} conformance suite: ${message}`);
  });
});

for (const app of apps) {
  const skipped = app.missing.length > 0 && !inCi;
  describe.skipIf(skipped)(`${app.name} example conforms to docs/integrations.md`, () => {
    conformance(app);
  });
}

function conformance(app: ExampleApp) {
  let t: TestServer;
  /** Defaults: no trusted proxy. */
  let main: AppInstance;
  /** TRUSTED_PROXIES=127.0.0.1/32: a request from 127.0.0.1 is a proxy's. */
  let proxied: AppInstance;
  /** USERHARBOR_URL points at a closed port: UserHarbor is down. */
  let dead: AppInstance;
  let users = 0;

  beforeAll(async () => {
    if (app.missing.length > 0) throw new Error(`${app.name}: ${app.missing.join(", ")} not found`);
    t = await startTestServer({
      env: {
        API_KEYS: `backend=${API_KEY}:accounts,client-ip`,
        REQUIRE_VERIFIED_EMAIL: "false",
        LOCKOUT_FAILURES: "3",
        SESSION_ASSERTION_TTL: `${ASSERTION_TTL_SEC}s`,
      },
    });
    const env = { USERHARBOR_URL: t.server.url, USERHARBOR_API_KEY: API_KEY };
    main = await startApp(app, env, FIRST_START_MS);
    const closed = `http://127.0.0.1:${await freePort()}`;
    [proxied, dead] = await Promise.all([
      startApp(app, { ...env, TRUSTED_PROXIES: "127.0.0.1/32" }, 120_000),
      startApp(app, { ...env, USERHARBOR_URL: closed }, 120_000),
    ]);
  }, FIRST_START_MS + 180_000);

  afterAll(async () => {
    await Promise.all([main?.stop(), proxied?.stop(), dead?.stop()]);
    await t?.close();
  });

  /** A fresh account (its own lockout counters and devices); returns its username. */
  async function newUser(): Promise<string> {
    const username = `${app.name.slice(0, 20)}-u${++users}`;
    await t
      .client("grpc")
      .register({ username, email: `${username}@example.com`, password: PASSWORD }, keyed);
    return username;
  }

  const login = (
    username: string,
    options: { password?: string; headers?: Record<string, string>; on?: AppInstance } = {},
  ) =>
    send(`${(options.on ?? main).url}/login`, {
      method: "POST",
      headers: options.headers ?? {},
      body: { username, password: options.password ?? PASSWORD },
    });

  /** The three cookie values a login set. */
  function cookiesOf(reply: Reply) {
    return {
      session: reply.cookie(NAMES.session)?.value,
      assertion: reply.cookie(NAMES.assertion)?.value,
      device: reply.cookie(NAMES.device)?.value,
    };
  }

  /** A signed-in user's cookies (optionally with the server's clock moved by `skewMs` at login). */
  async function signedIn(skewMs = 0) {
    const username = await newUser();
    t.clock.advance(skewMs);
    const reply = await login(username).finally(() => t.clock.advance(-skewMs));
    expect(reply.status, reply.text).toBe(200);
    const cookies = cookiesOf(reply);
    const session = cookies.session ?? "";
    const assertion = cookies.assertion ?? "";
    return {
      username,
      session,
      assertion,
      device: cookies.device ?? "",
      jar: cookieHeader({ [NAMES.session]: session, [NAMES.assertion]: assertion }),
      id: reply.json<{ user: { id: string } }>().user.id,
    };
  }

  const get = (path: string, headers: Record<string, string> = {}, on = main) =>
    send(`${on.url}${path}`, { headers });
  const post = (path: string, headers: Record<string, string> = {}, on = main) =>
    send(`${on.url}${path}`, { method: "POST", headers });

  const rpcCount = (method: string) =>
    rpcCalls(t.server.metricsPort ?? 0, `AccountService/${method}`);

  const sessionsOf = async (sessionToken: string) =>
    (await t.client("grpc").listSessions({ sessionToken }, keyed)).sessions;

  /** `HttpOnly; Secure; SameSite=Lax; Path=/`, no Domain. */
  function expectCookieFlags(reply: Reply, name: string) {
    const cookie = reply.cookie(name);
    expect(cookie, `${name} set`).toBeDefined();
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "lax", path: "/" });
    expect(cookie?.domain, `${name} has no Domain`).toBeUndefined();
    return cookie;
  }

  const secondsUntil = (epochSec: number) => epochSec - Date.now() / 1000;

  it("answers 401 problem+json without a session, and for tokens UserHarbor does not know", async () => {
    for (const path of ["/me", "/me/strict"])
      expectProblem(await get(path), 401, "INVALID_SESSION");
    const unknown = `uhs_${"A".repeat(43)}`;
    expectProblem(await get("/me", { authorization: `Bearer ${unknown}` }), 401, "INVALID_SESSION");
    const jar = cookieHeader({ [NAMES.session]: unknown });
    expectProblem(await get("/me", { cookie: jar }), 401, "INVALID_SESSION");
  });

  it("logs in through the mounted handler: the user as JSON, the three cookies and their flags, no token in the body", async () => {
    const username = await newUser();
    const reply = await login(username);
    expect(reply.status, reply.text).toBe(200);
    const body = reply.json<{ user: Record<string, unknown>; expiresAt: string }>();
    expect(body.user).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
      username,
      email: `${username}@example.com`,
      emailVerified: false,
    });
    expect(body.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    expect(reply.setCookies.map((raw) => raw.split("=")[0]).sort()).toEqual(
      Object.values(NAMES).sort(),
    );
    const session = expectCookieFlags(reply, NAMES.session);
    const assertion = expectCookieFlags(reply, NAMES.assertion);
    const device = expectCookieFlags(reply, NAMES.device);
    expect(session?.value).toMatch(/^uhs_/);
    expect(device?.value).toMatch(/^uhd_/);
    expect(assertion?.value).toBe(`${jwsOf(assertion?.value)}~${tagOf(session?.value ?? "")}`);
    const claims = decodeJwt(jwsOf(assertion?.value));
    expect(claims.sub).toBe(body.user.id);
    // Max-Age: session until its expiry, assertion until its exp, device 180 days.
    const sessionLeft = (Date.parse(body.expiresAt) - Date.now()) / 1000;
    expect(session?.maxAge).toBeGreaterThan(sessionLeft - 5);
    expect(session?.maxAge).toBeLessThanOrEqual(sessionLeft + 1);
    expect(assertion?.maxAge).toBeGreaterThan(secondsUntil(claims.exp ?? 0) - 5);
    expect(assertion?.maxAge).toBeLessThanOrEqual(secondsUntil(claims.exp ?? 0) + 1);
    expect(device?.maxAge).toBe(DEVICE_MAX_AGE_SEC);
    for (const secret of [session?.value, assertion?.value, device?.value, PASSWORD]) {
      expect(reply.text).not.toContain(secret);
    }
    const jar = cookieHeader({
      [NAMES.session]: session?.value,
      [NAMES.assertion]: assertion?.value,
    });
    const me = await get("/me", { cookie: jar });
    expect(me.status, me.text).toBe(200);
    expect(me.json()).toMatchObject({ id: body.user.id, username });
  });

  it("a later login sends the device cookie back and keeps the rotated one", async () => {
    const { username, id, device } = await signedIn();
    const devices = async () => {
      const tables = (await t.store.snapshot()) as unknown as MemoryTables & {
        devices: [string, { accountId: string }][];
      };
      return tables.devices.filter(([, record]) => record.accountId === id).length;
    };
    expect(await devices()).toBe(1);
    const again = await login(username, {
      headers: { cookie: cookieHeader({ [NAMES.device]: device }) },
    });
    expect(again.status, again.text).toBe(200);
    const rotated = expectCookieFlags(again, NAMES.device);
    expect(rotated?.value).toMatch(/^uhd_/);
    expect(rotated?.value).not.toBe(device);
    // UserHarbor replaced the token it was shown: still one device. Without it, a second one.
    expect(await devices()).toBe(1);
    expect((await login(username)).status).toBe(200);
    expect(await devices()).toBe(2);
  });

  it("answers 200 to the session token as a bearer token, checked locally after the first call", async () => {
    const { session, id } = await signedIn();
    const bearer = { authorization: `Bearer ${session}` };
    const before = await rpcCount("VerifySession");
    const first = await get("/me", bearer);
    expect(first.status, first.text).toBe(200);
    expect(first.json()).toMatchObject({ id });
    expect(first.setCookies).toEqual([]);
    expect(await rpcCount("VerifySession")).toBe(before + 1); // no assertion known yet
    expect((await get("/me", bearer)).status).toBe(200);
    expect(await rpcCount("VerifySession")).toBe(before + 1); // the remembered assertion
    // The bearer token wins over cookies: a bad one is refused whatever the cookies say.
    const jar = cookieHeader({ [NAMES.session]: session });
    const bad = await get("/me", { authorization: `Bearer uhs_${"B".repeat(43)}`, cookie: jar });
    expectProblem(bad, 401, "INVALID_SESSION");
  });

  it("a stale assertion cookie costs exactly one VerifySession and is replaced; a fresh one costs none", async () => {
    // Issued with the server's clock 100 s past the assertion's lifetime: exp lies in the past.
    const user = await signedIn(-(ASSERTION_TTL_SEC + 100) * 1000);
    expect(secondsUntil(decodeJwt(jwsOf(user.assertion)).exp ?? 0)).toBeLessThan(-90);
    const before = await rpcCount("VerifySession");
    const refreshed = await get("/me", { cookie: user.jar });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(await rpcCount("VerifySession")).toBe(before + 1);
    const cookie = expectCookieFlags(refreshed, NAMES.assertion);
    expect(cookie?.value).not.toBe(user.assertion);
    const exp = decodeJwt(jwsOf(cookie?.value)).exp ?? 0;
    expect(secondsUntil(exp)).toBeGreaterThan(ASSERTION_TTL_SEC - 10);
    expect(cookie?.maxAge).toBeGreaterThan(secondsUntil(exp) - 5);

    const fresh = cookieHeader({ [NAMES.session]: user.session, [NAMES.assertion]: cookie?.value });
    const local = await get("/me", { cookie: fresh });
    expect(local.status).toBe(200);
    expect(local.cookie(NAMES.assertion)).toBeUndefined();
    expect(await rpcCount("VerifySession")).toBe(before + 1);
    // The strict route asks every time, fresh assertion or not.
    expect((await get("/me/strict", { cookie: fresh })).status).toBe(200);
    expect(await rpcCount("VerifySession")).toBe(before + 2);
  });

  it("an assertion cookie counts only with the session cookie it was issued with", async () => {
    const owner = await signedIn();
    const other = await signedIn();
    const calls = await rpcCount("VerifySession");
    const madeUp = `uhs_${randomBytes(32).toString("base64url")}`;
    const forged = cookieHeader({ [NAMES.session]: madeUp, [NAMES.assertion]: owner.assertion });
    expectProblem(await get("/me", { cookie: forged }), 401, "INVALID_SESSION");
    expect(await rpcCount("VerifySession")).toBe(calls + 1); // UserHarbor was asked, not the cookie
    const swapped = cookieHeader({
      [NAMES.session]: other.session,
      [NAMES.assertion]: owner.assertion,
    });
    const reply = await get("/me", { cookie: swapped });
    expect(reply.json()).toMatchObject({ id: other.id, username: other.username });
    expect(await rpcCount("VerifySession")).toBe(calls + 2);
  });

  it("logout: the strict route answers 401 at once, the default route once the assertion expires", async () => {
    // Issued with the clock set back so the assertion expires 4 s into the real future.
    const user = await signedIn(-(ASSERTION_TTL_SEC - 4) * 1000);
    const exp = decodeJwt(jwsOf(user.assertion)).exp ?? 0;
    const out = await post("/logout", { cookie: user.jar });
    expect(out.status, out.text).toBe(204);
    for (const name of [NAMES.session, NAMES.assertion]) {
      expect(expectCookieFlags(out, name)).toMatchObject({ value: "", maxAge: 0 });
    }
    expect(out.cookie(NAMES.device), "the device cookie stays").toBeUndefined();
    expectProblem(await get("/me/strict", { cookie: user.jar }), 401, "INVALID_SESSION");
    const calls = await rpcCount("VerifySession");
    expect(secondsUntil(exp), "still inside the assertion's lifetime").toBeGreaterThan(0.5);
    const lagging = await get("/me", { cookie: user.jar });
    expect(lagging.status, "the default route within the assertion's lifetime").toBe(200);
    expect(await rpcCount("VerifySession")).toBe(calls);
    // Waits out the assertion's remaining ~4 s plus the verifier's leeway: the lag itself.
    const until = (exp + MAX_LEEWAY_SEC + 3) * 1000;
    let refused: Reply | undefined;
    while (!refused && Date.now() < until) {
      const reply = await get("/me", { cookie: user.jar });
      if (reply.status === 401) refused = reply;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(refused, "401 once the assertion expired").toBeDefined();
    if (refused) expectProblem(refused, 401, "INVALID_SESSION");
    // Idempotent: the same logout again, and one without any session.
    expect((await post("/logout", { cookie: user.jar })).status).toBe(204);
    expect((await post("/logout")).status).toBe(204);
  }, 30_000);

  it("lockout: 429 problem+json with Retry-After, even with the right password", async () => {
    const username = await newUser();
    for (let i = 0; i < 3; i++) {
      expectProblem(
        await login(username, { password: "wrong password 12" }),
        401,
        "INVALID_CREDENTIALS",
      );
    }
    const locked = await login(username);
    expectProblem(locked, 429, "RATE_LIMITED");
    const retryAfter = Number(locked.headers["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30); // LOCKOUT_BASE
    expect(locked.setCookies).toEqual([]);
  });

  it("UserHarbor stopped: 503 problem+json with Retry-After, no stack trace", async () => {
    const user = await signedIn();
    const answers = [
      await login(user.username, { on: dead }),
      await get("/me", { cookie: user.jar }, dead),
      await get("/me", { authorization: `Bearer ${user.session}` }, dead),
      await get("/me/strict", { cookie: user.jar }, dead),
    ];
    for (const reply of answers) {
      expectProblem(reply, 503, "USERHARBOR_UNAVAILABLE");
      expect(Number(reply.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    }
  });

  it("refuses a cross-site POST with the session cookie, changing nothing; same-origin passes", async () => {
    const user = await signedIn();
    const cookie = { cookie: user.jar };
    const evil = "https://evil.example";
    const logouts = await rpcCount("Logout");
    const refusals = [
      { "sec-fetch-site": "cross-site", origin: evil },
      { "sec-fetch-site": "same-site", origin: "http://sibling.127.0.0.1.example" },
      { origin: evil }, // an older browser: no Sec-Fetch-Site
      { origin: "null" },
    ];
    for (const headers of refusals) {
      expectProblem(await post("/logout", { ...cookie, ...headers }), 403, "CROSS_SITE_REQUEST");
    }
    expect(await rpcCount("Logout")).toBe(logouts);
    expect((await get("/me/strict", cookie)).status, "the session is still live").toBe(200);
    // Login too: no Login call for a cross-site attempt.
    const logins = await rpcCount("Login");
    const crossLogin = await login(user.username, {
      headers: { "sec-fetch-site": "cross-site", origin: evil },
    });
    expectProblem(crossLogin, 403, "CROSS_SITE_REQUEST");
    expect(await rpcCount("Login")).toBe(logins);
    // Bearer requests are exempt (no ambient credential): cross-site headers do not matter.
    expect(
      (
        await get("/me", {
          authorization: `Bearer ${user.session}`,
          "sec-fetch-site": "cross-site",
          origin: evil,
        })
      ).status,
    ).toBe(200);
    // The same request from the app's own page goes through.
    const own = { ...cookie, "sec-fetch-site": "same-origin", origin: main.url };
    expect((await post("/logout", own)).status).toBe(204);
    expect(await rpcCount("Logout")).toBe(logouts + 1);
    expectProblem(await get("/me/strict", cookie), 401, "INVALID_SESSION");
  });

  it("X-Forwarded-For from an untrusted peer does not become ClientContext.ip; from a trusted proxy it does", async () => {
    const username = await newUser();
    const forwarded = { "x-forwarded-for": "203.0.113.7", "user-agent": "conformance-agent/1.0" };
    const ipSeen = async (on: AppInstance, localAddress: string) => {
      const reply = await send(`${on.url}/login`, {
        method: "POST",
        headers: forwarded,
        body: { username, password: PASSWORD },
        localAddress,
      });
      expect(reply.status, reply.text).toBe(200);
      const [session] = await sessionsOf(reply.cookie(NAMES.session)?.value ?? "");
      expect(session?.userAgent).toBe("conformance-agent/1.0");
      return session?.ip;
    };
    // 127.0.0.2 is neither the app's own address toward UserHarbor (127.0.0.1) nor the header's.
    expect(await ipSeen(main, "127.0.0.2")).toBe("127.0.0.2");
    expect(await ipSeen(proxied, "127.0.0.2")).toBe("127.0.0.2");
    expect(await ipSeen(proxied, "127.0.0.1")).toBe("203.0.113.7");
  });
}

/** The assertion cookie is `<JWS>~<tag>` (docs/integrations.md §2): its JWS part. */
const jwsOf = (cookieValue: string | undefined) => (cookieValue ?? "").split("~")[0] ?? "";
/** The tag that binds an assertion cookie to its session token: base64url SHA-256 of the token. */
const tagOf = (sessionToken: string) =>
  createHash("sha256").update(sessionToken).digest("base64url");

/** An RFC 9457 problem with the contract's fields and nothing that looks like a stack or a secret. */
function expectProblem(reply: Reply, status: number, code: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = reply.json();
  expect(body).toMatchObject({
    type: "about:blank",
    title: STATUS_CODES[status],
    status,
    code,
    detail: expect.any(String),
  });
  expect(
    Object.keys(body).filter(
      (key) => !["type", "title", "status", "code", "detail", "errors"].includes(key),
    ),
  ).toEqual([]);
  expect(reply.text).not.toMatch(/\bat \S+ \(|node:internal|ECONNREFUSED|127\.0\.0\.1|uhs_|uhd_/);
}
