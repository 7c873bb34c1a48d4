/**
 * @userharbor/sdk/fastify: UserHarbor sessions for Fastify 5, as a plugin. A thin
 * adapter over the framework-independent core (./http): it reads Fastify's request
 * (with `trustProxy` deciding `request.ip`, `request.protocol` and `request.host`)
 * and writes its answers.
 */
import type {
  FastifyError,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from "fastify";
import fp from "fastify-plugin";
import type { Answer, AuthenticatedUser, IncomingFacts } from "./http/exchange.js";
import { type Guards, guardsOf, type RouteOptions } from "./http/guards.js";
import { createIntegration, type Integration } from "./http/integration.js";
import { LOGIN_BODY_MAX_BYTES } from "./http/login-body.js";
import type { AccountClient, IntegrationOptions } from "./http/options.js";
import { LOCAL_PROBLEMS, problemFromError } from "./http/problems.js";

declare module "fastify" {
  interface FastifyInstance {
    userHarbor: FastifyUserHarbor;
  }
  interface FastifyRequest {
    /** Set by the requireUser, requireVerifiedEmail and optionalUser preHandlers (null: anonymous). */
    user: AuthenticatedUser | null;
  }
}

export type { AuthenticatedUser, IntegrationOptions };

export interface FastifyUserHarborOptions extends IntegrationOptions {
  /** Mounts the login handler here (POST; JSON {username, password}). Optional. */
  loginPath?: string;
  /** Mounts the logout handler here (POST). Optional. */
  logoutPath?: string;
}

export type { RouteOptions };

/** `app.userHarbor`, decorated by the plugin; the guards are preHandlers setting `request.user`. */
export interface FastifyUserHarbor extends Guards<preHandlerAsyncHookHandler> {
  /** For `app.setErrorHandler`: UserHarbor's errors (from your own client calls) as problem+json. */
  errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** The request's session token, for your own calls through `client`. */
  sessionToken(request: FastifyRequest): string | undefined;
  /** AccountService with the API key and deadline. */
  readonly client: AccountClient;
  readonly integration: Integration;
}

const plugin: FastifyPluginAsync<FastifyUserHarborOptions> = async (app, options) => {
  const core = createIntegration(options);
  const guards = guardsOf<preHandlerAsyncHookHandler>((requirement) => async (request, reply) => {
    const checked = await core.authenticate(factsOf(request), requirement);
    if (checked.outcome === "refused") return send(reply, checked.answer);
    for (const cookie of checked.setCookies) reply.header("set-cookie", cookie);
    request.user = checked.outcome === "user" ? checked.user : null;
  });
  const decorations: FastifyUserHarbor = {
    ...guards,
    errorHandler(error, _request, reply) {
      const problem = problemFromError(error);
      if (!problem) throw error; // Fastify's own handler takes it
      return send(reply, problem.toAnswer());
    },
    sessionToken: (request) => core.sessionTokenOf(factsOf(request)),
    client: core.client,
    integration: core,
  };
  app.decorateRequest("user", null);
  app.decorate("userHarbor", decorations);

  const { loginPath, logoutPath } = options;
  if (!loginPath && !logoutPath) return;
  // Own scope: the handlers read their bodies themselves (any type, small) and answer
  // every failure, even Fastify's own (too large, unreadable), as problem+json.
  await app.register(async (routes) => {
    routes.removeAllContentTypeParsers();
    routes.addContentTypeParser(
      "*",
      { parseAs: "string", bodyLimit: LOGIN_BODY_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
    routes.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.code?.startsWith("FST_") && (error.statusCode ?? 500) < 500) {
        return send(reply, LOCAL_PROBLEMS.invalidRequest("Unreadable body.").toAnswer());
      }
      return decorations.errorHandler(error, request, reply);
    });
    if (loginPath) {
      routes.post(loginPath, async (request, reply) =>
        send(reply, await core.login(factsOf(request), request.body)),
      );
    }
    if (logoutPath) {
      routes.post(logoutPath, async (request, reply) =>
        send(reply, await core.logout(factsOf(request))),
      );
    }
  });
};

/** The plugin: `await app.register(userHarbor, { url, apiKey, loginPath, logoutPath })`. */
export const userHarbor = fp(plugin, { fastify: "5.x", name: "@userharbor/sdk/fastify" });

function factsOf(request: FastifyRequest): IncomingFacts {
  return {
    method: request.method,
    header(name) {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    ip: request.ip,
    origin: `${request.protocol}://${request.host}`,
  };
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  for (const cookie of answer.setCookies) reply.header("set-cookie", cookie);
  reply.code(answer.status).headers(answer.headers);
  return answer.body === undefined ? reply.send() : reply.send(JSON.stringify(answer.body));
}
