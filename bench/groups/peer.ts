import { figure, fmt, ratioOf, raw } from "../figures.js";
import { scryptHashMs } from "../machine.js";
import { grpc, type Interleaved, interleaved, load, one } from "../measure.js";
import { startPeer } from "../processes.js";
import { API_KEY, plan } from "../settings.js";
import type { MemoryRun } from "./memory.js";

/** Better Auth (memory adapter, node:http, HTTP/1.1 JSON) beside our memory-store server. */
export async function startPeerBeside(run: MemoryRun): Promise<void> {
  run.scryptMs = await scryptHashMs(plan.hashSamples);
  console.error(
    `Better Auth beside it (memory adapter, node:http, HTTP/1.1 JSON); its scrypt: ${fmt(run.scryptMs, 1)} ms per hash`,
  );
  run.peer = await startPeer();
}

let theirs = { getSession: Number.NaN, getSessionCost: Number.NaN };
let ours = { h2: Number.NaN, h2Cost: Number.NaN, h1: Number.NaN, h1Cost: Number.NaN };

/**
 * GetCurrentUser over gRPC and over Connect JSON (HTTP/1.1) against Better Auth's get-session,
 * interleaved A B C C B A. Runs before any sign-in: its memory adapter scans a list of sessions.
 */
export async function peerGetSession(run: MemoryRun): Promise<void> {
  const { server, peer } = run;
  if (!peer) return;
  const watch = server.watch;
  const [h2, h1, them] = (await interleaved([
    {
      workload: grpc(server, "GetCurrentUser (gRPC, HTTP/2)", "getCurrentUser", {
        concurrency: plan.throughputConcurrency,
      }),
      watch,
    },
    {
      workload: {
        name: "GetCurrentUser (Connect JSON, HTTP/1.1)",
        concurrency: plan.throughputConcurrency,
        target: {
          kind: "http",
          url: `${server.url}/userharbor.v1.AccountService/GetCurrentUser`,
          method: "POST",
          sockets: plan.throughputConcurrency,
          requests: server.tokens.map((sessionToken) => ({
            headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
            body: JSON.stringify({ sessionToken }),
          })),
        },
      },
      watch,
    },
    {
      workload: {
        name: "Better Auth get-session",
        concurrency: plan.throughputConcurrency,
        target: {
          kind: "http",
          url: `${peer.url}/api/auth/get-session`,
          method: "GET",
          sockets: plan.throughputConcurrency,
          requests: [{ headers: { cookie: peer.cookie } }],
        },
      },
      watch: { server: peer.pid },
    },
  ])) as [Interleaved, Interleaved, Interleaved];
  ours = { h2: h2.throughput, h2Cost: h2.cost, h1: h1.throughput, h1Cost: h1.cost };
  theirs = { getSession: them.throughput, getSessionCost: them.cost };
  if (!Number.isFinite(run.verifyThroughput)) {
    const verify = grpc(server, "VerifySession", "verifySession", {
      concurrency: plan.throughputConcurrency,
    });
    run.verifyThroughput = one(await load([verify], watch)).throughput;
  }
  raw.getSession = { h2: h2.reports, h1: h1.reports, peer: them.reports };
}

/** Better Auth's sign-in at our login concurrency, then every peer figure. */
export async function peerSignIn(run: MemoryRun): Promise<void> {
  const { peer } = run;
  if (!peer) return;
  const signIn = await load(
    [
      {
        name: "Better Auth sign-in/email",
        concurrency: plan.loginConcurrency,
        target: {
          kind: "http",
          url: `${peer.url}/api/auth/sign-in/email`,
          method: "POST",
          sockets: plan.loginConcurrency,
          requests: [
            {
              headers: { "content-type": "application/json", origin: peer.url },
              body: peer.body,
            },
          ],
        },
      },
    ],
    { server: peer.pid },
  );
  const theirSignIn = one(signIn).throughput;
  raw.signIn = signIn;

  const costs = (cost: number) =>
    `server CPU per call ${fmt(cost)} µs vs ${fmt(theirs.getSessionCost)} µs (cost ratio ${fmt(theirs.getSessionCost / cost, 2)})`;
  const versus = (id: string, metric: string, value: number, note: string) => {
    const ratio = ratioOf(value, theirs.getSession);
    figure({
      id,
      metric,
      ours: `${fmt(value)}/s`,
      baseline: `${fmt(theirs.getSession)}/s`,
      ratio,
      target: ">= 2",
      met: (ratio ?? 0) >= 2,
      note,
    });
  };
  versus(
    "peer_get_user_grpc",
    "GetCurrentUser (gRPC) ÷ Better Auth get-session",
    ours.h2,
    `both answer session + user; ${costs(ours.h2Cost)}`,
  );
  versus(
    "peer_get_user_http1",
    "GetCurrentUser (Connect JSON, HTTP/1.1) ÷ get-session",
    ours.h1,
    `same protocol as the peer; ${costs(ours.h1Cost)}`,
  );
  figure({
    id: "peer_verify_session",
    metric: "VerifySession (gRPC) ÷ Better Auth get-session",
    ours: `${fmt(run.verifyThroughput)}/s`,
    baseline: `${fmt(theirs.getSession)}/s`,
    ratio: ratioOf(run.verifyThroughput, theirs.getSession),
    target: "(info)",
    met: null,
  });
  const loginLimit = plan.cores / (run.hashMs / 1000);
  figure({
    id: "peer_sign_in",
    metric: "Login ÷ Better Auth sign-in (argon2id vs scrypt)",
    ours: `${fmt(run.loginThroughput, 1)}/s`,
    baseline: `${fmt(theirSignIn, 1)}/s`,
    ratio: ratioOf(run.loginThroughput, theirSignIn),
    target: "(info)",
    met: null,
    note: `different hashes: argon2id ${fmt(run.hashMs, 1)} ms vs scrypt ${fmt(run.scryptMs, 1)} ms each; per hash-limited capacity ${fmt((ratioOf(run.loginThroughput, loginLimit) ?? Number.NaN) * 100)} % vs ${fmt((theirSignIn / (plan.cores / (run.scryptMs / 1000))) * 100)} %`,
  });
}
