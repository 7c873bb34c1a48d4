import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { userHarbor as expressUserHarbor } from "@userharbor/sdk/express";
import { userHarbor as fastifyUserHarbor } from "@userharbor/sdk/fastify";
import type { IntegrationOptions } from "@userharbor/sdk/http";
import express from "express";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpcCalls } from "../support/metrics.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { cookieHeader, type Reply, send } from "./http-client.js";

/**
 * What the example apps do not show, per adapter, in-process against a real
 * UserHarbor: optionalUser, requireVerifiedEmail, CSRF on a guarded POST route,
 * the error handler, development cookies, the deadline, login body errors.
 */

interface Built {
  url: string;
  close(): Promise<void>;
}

/** The same routes on each framework: the adapters' whole surface. */
const ADAPTERS: Record<string, (options: IntegrationOptions) => Promise<Built>> = {
  async express(options) {
    const app = express();
    const uh = expressUserHarbor(options);
    app.post("/login", uh.loginHandler());
    app.post("/logout", uh.logoutHandler());
    app.get("/me", uh.requireUser(), (req, res) => void res.json({ user: req.user }));
    app.get(
      "/optional",
      uh.optionalUser(),
      (req, res) => void res.json({ user: req.user ?? null }),
    );
    app.get(
      "/verified",
      uh.requireVerifiedEmail(),
      (req, res) => void res.json({ user: req.user }),
    );
    app.post("/action", uh.requireUser(), (req, res) => void res.json({ by: req.user?.username }));
    app.get("/own-call", async (req, res) => {
      await uh.client.getCurrentUser({ sessionToken: uh.sessionToken(req) ?? "" });
      res.json({ called: true });
    });
    app.get("/bug", () => {
      throw new Error("a bug in the app");
    });
    app.use(uh.errorHandler());
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    return {
      url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  },
  async fastify(options) {
    const app = Fastify();
    await app.register(fastifyUserHarbor, {
      ...options,
      loginPath: "/login",
      logoutPath: "/logout",
    });
    const uh = app.userHarbor;
    app.get("/me", { preHandler: uh.requireUser() }, async (request) => ({ user: request.user }));
    app.get("/optional", { preHandler: uh.optionalUser() }, async (request) => ({
      user: request.user,
    }));
    app.get("/verified", { preHandler: uh.requireVerifiedEmail() }, async (request) => ({
      user: request.user,
    }));
    app.post("/action", { preHandler: uh.requireUser() }, async (request) => ({
      by: request.user?.username,
    }));
    app.get("/own-call", async (request) => {
      await uh.client.getCurrentUser({ sessionToken: uh.sessionToken(request) ?? "" });
      return { called: true };
    });
    app.get("/bug", async () => {
      throw new Error("a bug in the app");
    });
    app.setErrorHandler(uh.errorHandler);
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    return { url, close: () => app.close() };
  },
};

const PASSWORD = "adapter correct horse 12";

describe.each(Object.keys(ADAPTERS))("the %s adapter", (name) => {
  const build = ADAPTERS[name] as (options: IntegrationOptions) => Promise<Built>;
  let t: TestServer;
  let app: Built;
  let users = 0;

  beforeAll(async () => {
    t = await startTestServer({ env: { REQUIRE_VERIFIED_EMAIL: "false" } });
    app = await build({ url: t.server.url });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  async function signedIn() {
    const username = `${name}-a${++users}`;
    const email = `${username}@example.com`;
    await t.client("grpc").register({ username, email, password: PASSWORD });
    const reply = await send(`${app.url}/login`, {
      method: "POST",
      body: { username, password: PASSWORD },
    });
    expect(reply.status, reply.text).toBe(200);
    const session = reply.cookie("__Host-uh_session")?.value ?? "";
    const assertion = reply.cookie("__Host-uh_assertion")?.value ?? "";
    const jar = cookieHeader({ "__Host-uh_session": session, "__Host-uh_assertion": assertion });
    return { username, email, session, jar };
  }

  const verifySessions = () => rpcCalls(t.server.metricsPort ?? 0, "AccountService/VerifySession");

  it("optionalUser: anonymous without a session (never 401), the user with one, anonymous and cookies cleared for a dead one", async () => {
    const anonymous = await send(`${app.url}/optional`);
    expect([anonymous.status, anonymous.json()]).toEqual([200, { user: null }]);
    const user = await signedIn();
    const signed = await send(`${app.url}/optional`, { headers: { cookie: user.jar } });
    expect(signed.json()).toMatchObject({
      user: { username: user.username, emailVerified: false },
    });
    expect(Object.keys(signed.json<{ user: object }>().user).sort()).toEqual(
      ["accountId", "emailVerified", "sessionId", "username"], // no token on the user
    );
    await t.client("grpc").logout({ sessionToken: user.session });
    const dead = await send(`${app.url}/optional`, {
      headers: { cookie: cookieHeader({ "__Host-uh_session": user.session }) },
    });
    expect([dead.status, dead.json()]).toEqual([200, { user: null }]);
    expect(dead.cookie("__Host-uh_session")).toMatchObject({ value: "", maxAge: 0 });
  });

  it("requireVerifiedEmail: 403 EMAIL_NOT_VERIFIED, asking UserHarbor once first; passes once the email is verified, without a new login", async () => {
    const user = await signedIn();
    const before = await verifySessions();
    const refused = await send(`${app.url}/verified`, { headers: { cookie: user.jar } });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json()).toMatchObject({ code: "EMAIL_NOT_VERIFIED" });
    expect(await verifySessions()).toBe(before + 1); // the assertion may predate a verification
    const token = await t.mailbox.tokenFrom(user.email, "verification", () =>
      t.client("grpc").resendVerification({ email: user.email }),
    );
    await t.client("grpc").verifyEmail({ token });
    const passed = await send(`${app.url}/verified`, { headers: { cookie: user.jar } });
    expect(passed.status, passed.text).toBe(200);
    expect(passed.json()).toMatchObject({ user: { emailVerified: true } });
    expect(passed.cookie("__Host-uh_assertion")?.value).toBeTruthy(); // the new, verified one
  });

  it("a guarded POST route refuses a cross-site cookie request before asking UserHarbor; bearer and same-origin pass", async () => {
    const user = await signedIn();
    const before = await verifySessions();
    const cross = { "sec-fetch-site": "cross-site", origin: "https://evil.example" };
    const refused = await send(`${app.url}/action`, {
      method: "POST",
      headers: { cookie: user.jar, ...cross },
    });
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({ code: "CROSS_SITE_REQUEST" });
    expect(await verifySessions()).toBe(before);
    const own = { "sec-fetch-site": "same-origin", origin: app.url };
    const same = await send(`${app.url}/action`, {
      method: "POST",
      headers: { cookie: user.jar, ...own },
    });
    expect([same.status, same.json()]).toEqual([200, { by: user.username }]);
    const bearer = await send(`${app.url}/action`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.session}`, ...cross },
    });
    expect(bearer.status).toBe(200);
  });

  it("the error handler answers UserHarbor's errors from the app's own calls as problem+json, and leaves other errors to the framework", async () => {
    const dead = await send(`${app.url}/own-call`, {
      headers: { authorization: `Bearer uhs_${"C".repeat(43)}` },
    });
    expect(dead.status).toBe(401);
    expect(dead.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(dead.json()).toMatchObject({
      code: "INVALID_SESSION",
      detail: "session is invalid or expired",
    });
    const user = await signedIn();
    const ok = await send(`${app.url}/own-call`, { headers: { cookie: user.jar } });
    expect([ok.status, ok.json()]).toEqual([200, { called: true }]);
    const bug = await send(`${app.url}/bug`);
    expect(bug.status).toBe(500);
    expect(bug.headers["content-type"]).not.toMatch(/problem/);
  });

  it("login answers malformed bodies with 400 INVALID_REQUEST and calls nothing", async () => {
    const bodies: [string | undefined, Record<string, string>][] = [
      ['{"username": "a",', { "content-type": "application/json" }],
      ['{"username":"a","password":"b"}', { "content-type": "text/plain" }],
      [JSON.stringify({ username: "a" }), { "content-type": "application/json" }],
      [
        JSON.stringify({ username: "a", password: "x".repeat(9_000) }),
        { "content-type": "application/json" },
      ],
      [undefined, {}],
    ];
    for (const [body, headers] of bodies) {
      const reply = await send(`${app.url}/login`, {
        method: "POST",
        headers,
        ...(body !== undefined && { body }),
      });
      expect(reply.status, `${body?.slice(0, 40)}: ${reply.text}`).toBe(400);
      expect(reply.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(reply.json()).toMatchObject({ code: "INVALID_REQUEST" });
    }
  });

  it("insecureDevCookies: unprefixed names without Secure, read back as such", async () => {
    const dev = await build({ url: t.server.url, insecureDevCookies: true });
    try {
      const username = `${name}-dev`;
      await t
        .client("grpc")
        .register({ username, email: `${username}@example.com`, password: PASSWORD });
      const reply = await send(`${dev.url}/login`, {
        method: "POST",
        body: { username, password: PASSWORD },
      });
      expect(reply.setCookies.map((raw) => raw.split("=")[0]).sort()).toEqual([
        "uh_assertion",
        "uh_device",
        "uh_session",
      ]);
      for (const raw of reply.setCookies) {
        expect(raw).not.toMatch(/;\s*Secure/i);
        expect(raw).toMatch(/HttpOnly; SameSite=Lax$/);
      }
      const jar = cookieHeader({ uh_session: reply.cookie("uh_session")?.value });
      expect((await send(`${dev.url}/me`, { headers: { cookie: jar } })).status).toBe(200);
    } finally {
      await dev.close();
    }
  });

  describe("a UserHarbor that accepts connections and never answers", () => {
    let hole: Server;
    const sockets = new Set<Socket>();
    let slow: Built;
    beforeAll(async () => {
      hole = createServer((socket) => void sockets.add(socket)).listen(0, "127.0.0.1");
      await once(hole, "listening");
      const port = (hole.address() as { port: number }).port;
      slow = await build({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      hole?.close();
      await slow?.close();
    });

    it("answers 503 with Retry-After at the deadline (300 ms here), never hanging", async () => {
      const token = { authorization: `Bearer uhs_${"D".repeat(43)}` };
      const cases: [string, Promise<Reply>][] = [
        ["a check", send(`${slow.url}/me`, { headers: token })],
        [
          "a login",
          send(`${slow.url}/login`, { method: "POST", body: { username: "a", password: "b" } }),
        ],
        ["a logout", send(`${slow.url}/logout`, { method: "POST", headers: token })],
      ];
      for (const [what, pending] of cases) {
        const started = Date.now();
        const reply = await pending;
        expect(reply.status, `${what}: ${reply.text}`).toBe(503);
        expect(reply.json()).toMatchObject({ code: "USERHARBOR_UNAVAILABLE" });
        expect(Number(reply.headers["retry-after"])).toBeGreaterThanOrEqual(1);
        expect(Date.now() - started, `${what} waited for the deadline only`).toBeLessThan(5_000);
      }
    });

    it("a failed logout keeps the cookies, so the user can retry", async () => {
      const jar = cookieHeader({ "__Host-uh_session": `uhs_${"E".repeat(43)}` });
      const reply = await send(`${slow.url}/logout`, { method: "POST", headers: { cookie: jar } });
      expect(reply.status).toBe(503);
      expect(reply.setCookies).toEqual([]);
    });
  });
});
