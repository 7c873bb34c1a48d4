/**
 * @userharbor/sdk/express: UserHarbor sessions for Express 5. A thin adapter over
 * the framework-independent core (./http): it reads Express's request (with
 * `trust proxy` deciding `req.ip`, `req.protocol` and `req.host`) and writes its
 * answers.
 */
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from "express";
import type { Answer, AuthenticatedUser, IncomingFacts } from "./http/exchange.js";
import { type Guards, guardsOf, type RouteOptions } from "./http/guards.js";
import { createIntegration, type Integration } from "./http/integration.js";
import { LOGIN_BODY_MAX_BYTES } from "./http/login-body.js";
import type { AccountClient, IntegrationOptions } from "./http/options.js";
import { LOCAL_PROBLEMS, problemFromError } from "./http/problems.js";

declare global {
  namespace Express {
    /** The signed-in user (the same declaration as @types/passport's, so both can be used). */
    interface User extends AuthenticatedUser {}
    interface Request {
      /** Set by requireUser, requireVerifiedEmail and optionalUser (undefined: anonymous). */
      user?: User | undefined;
    }
  }
}

export type { AuthenticatedUser, IntegrationOptions, RouteOptions };

/** The guards set `req.user` (undefined: anonymous, under optionalUser). */
export interface ExpressUserHarbor extends Guards<RequestHandler> {
  /** POST handler: JSON {username, password} → Login, the three cookies, the user as JSON. */
  loginHandler(): RequestHandler;
  /** POST handler: Logout, clears the session and assertion cookies, 204. */
  logoutHandler(): RequestHandler;
  /** Error middleware: UserHarbor's errors (from your own client calls) as problem+json. */
  errorHandler(): ErrorRequestHandler;
  /** The request's session token, for your own calls through `client`. */
  sessionToken(req: Request): string | undefined;
  /** AccountService with the API key and deadline. */
  readonly client: AccountClient;
  readonly integration: Integration;
}

/** `userHarbor({ url, apiKey })`: the middleware and handlers, configured once. */
export function userHarbor(options: IntegrationOptions): ExpressUserHarbor {
  const core = createIntegration(options);
  const guards = guardsOf<RequestHandler>((requirement) => async (req, res, next) => {
    const checked = await core.authenticate(factsOf(req), requirement);
    if (checked.outcome === "refused") return send(res, checked.answer);
    for (const cookie of checked.setCookies) res.append("Set-Cookie", cookie);
    req.user = checked.outcome === "user" ? checked.user : undefined;
    next();
  });
  const readText = express.text({ type: () => true, limit: LOGIN_BODY_MAX_BYTES });

  return {
    ...guards,
    loginHandler: () => (req, res, next) => {
      const login = async () => send(res, await core.login(factsOf(req), req.body));
      // A body an app-wide parser already read is used as it is.
      if (req.body !== undefined) return void login().catch(next);
      readText(req, res, (error?: unknown) => {
        if (error) return send(res, LOCAL_PROBLEMS.invalidRequest("Unreadable body.").toAnswer());
        login().catch(next);
      });
    },
    logoutHandler: () => async (req, res) => send(res, await core.logout(factsOf(req))),
    errorHandler: () => (error, _req, res, next) => {
      const problem = problemFromError(error);
      if (!problem || res.headersSent) return next(error);
      send(res, problem.toAnswer());
    },
    sessionToken: (req) => core.sessionTokenOf(factsOf(req)),
    client: core.client,
    integration: core,
  };
}

function factsOf(req: Request): IncomingFacts {
  return {
    method: req.method,
    header: (name) => req.get(name),
    ip: req.ip ?? req.socket.remoteAddress ?? "",
    origin: `${req.protocol}://${req.host}`,
  };
}

function send(res: Response, answer: Answer): void {
  for (const cookie of answer.setCookies) res.append("Set-Cookie", cookie);
  res.status(answer.status).set(answer.headers);
  if (answer.body === undefined) res.end();
  else res.send(JSON.stringify(answer.body));
}
