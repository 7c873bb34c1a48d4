import { timestampDate } from "@bufbuild/protobuf/wkt";
import { decodeJwt } from "jose";
import type { CheckResult, SessionVerifier } from "../verifier.js";
import { bindAssertion, boundAssertion } from "./assertion-cookie.js";
import { BearerAssertions } from "./bearer-assertions.js";
import { clientContextOf } from "./client-context.js";
import type { CookiePolicy } from "./cookies.js";
import { isCrossSiteRefused } from "./csrf.js";
import type {
  Answer,
  AuthenticatedUser,
  Authentication,
  IncomingFacts,
  Requirement,
} from "./exchange.js";
import { readLoginBody } from "./login-body.js";
import { type AccountClient, type IntegrationOptions, settingsFrom } from "./options.js";
import { type HttpProblem, LOCAL_PROBLEMS, problemFromError } from "./problems.js";

/** Where a request's session token came from. */
interface SessionSource {
  token: string;
  bearer: boolean;
  /** The assertion cookie, for cookie requests. */
  assertion?: string | undefined;
}

/** The framework-independent integration: what the Express and Fastify adapters call. */
export interface Integration {
  /** AccountService with this backend's API key and deadline, for the app's own calls. */
  readonly client: AccountClient;
  readonly verifier: SessionVerifier;
  readonly cookies: CookiePolicy;
  /** The request's session token (bearer first, else the session cookie), for the app's own calls. */
  sessionTokenOf(req: IncomingFacts): string | undefined;
  /** Runs a route's check. Errors that are not UserHarbor's propagate. */
  authenticate(req: IncomingFacts, requirement: Requirement): Promise<Authentication>;
  /** POST login: `body` is the parsed JSON, or the raw text, or undefined. */
  login(req: IncomingFacts, body: unknown): Promise<Answer>;
  /** POST logout: 204 (idempotent), clearing the session and assertion cookies. */
  logout(req: IncomingFacts): Promise<Answer>;
}

/** Session tokens are `uhs_` + base64url; anything else is refused without asking UserHarbor. */
const PLAUSIBLE_TOKEN = /^uhs_[A-Za-z0-9_-]{1,500}$/;

export function createIntegration(options: IntegrationOptions): Integration {
  const { client, verifier, cookies, timeoutMs, allowedOrigins, ...settings } =
    settingsFrom(options);
  const bearerAssertions = new BearerAssertions(settings.bearerAssertionsMax);

  function sessionOf(req: IncomingFacts): SessionSource | undefined {
    const bearer = /^Bearer +(.*)$/i.exec(req.header("authorization") ?? "");
    if (bearer) return { token: (bearer[1] ?? "").trim(), bearer: true };
    const jar = cookies.read(req.header("cookie"));
    if (!jar.session) return undefined;
    // The assertion counts only with the session cookie it was issued with.
    return {
      token: jar.session,
      bearer: false,
      assertion: boundAssertion(jar.assertion, jar.session),
    };
  }

  const crossSite = (req: IncomingFacts) =>
    isCrossSiteRefused({
      method: req.method,
      secFetchSite: req.header("sec-fetch-site"),
      origin: req.header("origin"),
      ownOrigin: req.origin,
      allowedOrigins,
    });

  /** verifier.check, for a token that can be a session token at all. */
  async function check(session: SessionSource, strict: boolean): Promise<CheckResult | null> {
    if (!PLAUSIBLE_TOKEN.test(session.token)) return null;
    const assertion = session.bearer ? bearerAssertions.get(session.token) : session.assertion;
    return verifier.check(session.token, assertion, { strict, timeoutMs });
  }

  /** The assertion cookie, bound to its session token, living until the assertion's `exp`. */
  const assertionCookie = (assertion: string, sessionToken: string) =>
    cookies.set("assertion", bindAssertion(assertion, sessionToken), secondsUntilExp(assertion));

  /** Keeps a new assertion: a cookie for cookie requests, the map for bearer ones. */
  function keep(session: SessionSource, result: CheckResult): string[] {
    if (!result.fromServer) return [];
    if (session.bearer) {
      bearerAssertions.set(session.token, result.assertion);
      return [];
    }
    return [assertionCookie(result.assertion, session.token)];
  }

  /** Forgets a session UserHarbor says is over. */
  function forget(session: SessionSource): string[] {
    if (session.bearer) {
      bearerAssertions.delete(session.token);
      return [];
    }
    return [cookies.clear("session"), cookies.clear("assertion")];
  }

  const refused = (problem: HttpProblem, setCookies: string[] = []): Authentication => ({
    outcome: "refused",
    answer: problem.toAnswer(setCookies),
  });

  /** UserHarbor's error as an answer; anything else is rethrown for the framework. */
  function answerFor(error: unknown): Answer {
    const problem = problemFromError(error);
    if (!problem) throw error;
    return problem.toAnswer();
  }

  return {
    client,
    verifier,
    cookies,
    sessionTokenOf: (req) => sessionOf(req)?.token || undefined,

    async authenticate(req, { user: need, strict = false }) {
      const session = sessionOf(req);
      if (!session) {
        return need === "optional"
          ? { outcome: "anonymous", setCookies: [] }
          : refused(LOCAL_PROBLEMS.invalidSession());
      }
      if (!session.bearer && crossSite(req)) return refused(LOCAL_PROBLEMS.crossSite());
      try {
        let result = await check(session, strict);
        // The assertion may predate the verification: ask once before refusing.
        if (need === "verified-email" && result && !result.user.emailVerified && !result.fromServer)
          result = await check(session, true);
        if (!result) {
          const cleared = forget(session);
          return need === "optional"
            ? { outcome: "anonymous", setCookies: cleared }
            : refused(LOCAL_PROBLEMS.invalidSession(), cleared);
        }
        const setCookies = keep(session, result);
        if (need === "verified-email" && !result.user.emailVerified) {
          return refused(LOCAL_PROBLEMS.emailNotVerified(), setCookies);
        }
        const { accountId, sessionId, username, emailVerified } = result.user;
        const user: AuthenticatedUser = { accountId, sessionId, username, emailVerified };
        return { outcome: "user", user, setCookies };
      } catch (error) {
        return { outcome: "refused", answer: answerFor(error) };
      }
    },

    async login(req, body) {
      if (req.method !== "POST") return LOCAL_PROBLEMS.postOnly().toAnswer();
      if (crossSite(req)) return LOCAL_PROBLEMS.crossSite().toAnswer();
      const credentials = readLoginBody(body, req.header("content-type"));
      if ("problem" in credentials) return credentials.problem.toAnswer();
      try {
        const device = cookies.read(req.header("cookie")).device;
        const answer = await client.login(
          { ...credentials, client: clientContextOf(req, device) },
          { timeoutMs },
        );
        const expiresAt = answer.expireTime ? timestampDate(answer.expireTime) : new Date();
        const setCookies = [
          cookies.set("session", answer.sessionToken, (expiresAt.getTime() - Date.now()) / 1000),
          answer.sessionAssertion
            ? assertionCookie(answer.sessionAssertion, answer.sessionToken)
            : cookies.clear("assertion"),
        ];
        // The rotated device token replaces the one sent (UserHarbor retired that one).
        if (answer.deviceToken) {
          setCookies.push(cookies.set("device", answer.deviceToken, cookies.deviceMaxAgeSec));
        }
        const user = answer.user;
        return {
          status: 200,
          headers: { "content-type": "application/json", "cache-control": "no-store" },
          setCookies,
          body: {
            user: {
              id: user?.id ?? "",
              username: user?.username ?? "",
              email: user?.email ?? "",
              emailVerified: user?.emailVerified ?? false,
            },
            expiresAt: expiresAt.toISOString(),
          },
        };
      } catch (error) {
        return answerFor(error);
      }
    },

    async logout(req) {
      if (req.method !== "POST") return LOCAL_PROBLEMS.postOnly().toAnswer();
      const session = sessionOf(req);
      if (!session?.bearer && crossSite(req)) return LOCAL_PROBLEMS.crossSite().toAnswer();
      if (session && PLAUSIBLE_TOKEN.test(session.token)) {
        try {
          await client.logout({ sessionToken: session.token }, { timeoutMs });
        } catch (error) {
          return answerFor(error); // cookies kept: the session still lives, so a retry can end it
        }
      }
      const setCookies = session?.bearer
        ? forget(session)
        : [cookies.clear("session"), cookies.clear("assertion")];
      return { status: 204, headers: {}, setCookies };
    },
  };
}

/** Seconds left until the assertion's `exp` (it came from UserHarbor over our own channel). */
function secondsUntilExp(assertion: string): number {
  const { exp } = decodeJwt(assertion);
  return typeof exp === "number" ? exp - Date.now() / 1000 : 0;
}
