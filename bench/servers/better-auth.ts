import http from "node:http";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { toNodeHandler } from "better-auth/node";

/**
 * The peer for side-by-side figures: Better Auth with its memory adapter, served by
 * node:http (HTTP/1.1, JSON), as its docs set it up for Node. Its default password hash is
 * scrypt (N=16384, r=16, p=1, node:crypto on the libuv pool), not argon2id: sign-in figures
 * compare two different hash costs. Rate limiting and telemetry are off, as ours are opened
 * up for the run. Usage: `node --import tsx bench/peer-better-auth.ts <port>`; prints one
 * JSON line `{"ready":true,"port":N,"email":...,"password":...}` once it serves.
 */

export const PEER_USER = {
  email: "bench@example.com",
  password: "correct horse battery staple",
  name: "Bench",
};

const port = Number(process.argv[2] ?? 0);
const origin = `http://127.0.0.1:${port}`;
const auth = betterAuth({
  database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
  secret:
    process.env.BETTER_AUTH_SECRET ?? "bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz",
  baseURL: origin,
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { level: "error" },
});

await auth.api.signUpEmail({ body: PEER_USER });
const server = http.createServer(toNodeHandler(auth));
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const { port: bound } = server.address() as { port: number };
process.stdout.write(`${JSON.stringify({ ready: true, port: bound, ...PEER_USER })}\n`);
process.once("SIGTERM", () => server.close(() => process.exit(0)));
