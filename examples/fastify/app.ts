// Fastify 5 with UserHarbor: examples/fastify/run.sh starts it (PORT, USERHARBOR_URL,
// USERHARBOR_API_KEY, TRUSTED_PROXIES). test/integrations/ runs it against a real server.
import { userHarbor } from "@userharbor/sdk/fastify";
import Fastify, { type FastifyRequest } from "fastify";

const app = Fastify({ trustProxy: process.env.TRUSTED_PROXIES || false }); // your proxies' CIDRs
await app.register(userHarbor, {
  url: process.env.USERHARBOR_URL,
  apiKey: process.env.USERHARBOR_API_KEY,
  loginPath: "/login",
  logoutPath: "/logout",
});

const me = async (request: FastifyRequest) => ({
  id: request.user?.accountId,
  username: request.user?.username,
});
app.get("/me", { preHandler: app.userHarbor.requireUser() }, me);
app.get("/me/strict", { preHandler: app.userHarbor.requireUser({ strict: true }) }, me);

const port = Number(process.env.PORT ?? 3000);
await app.listen({ port, host: "::" });
console.log(`fastify example listening on port ${port}`);
