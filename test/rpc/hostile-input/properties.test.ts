import { createClient } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import {
  Health,
  HealthCheckResponse_ServingStatus,
} from "@userharbor/client/grpc/health/v1/health_pb.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logLeaks } from "../../support/log-leaks.js";
import { RPC_NAMES, RpcDriver, WIRES } from "../../support/rpc-driver.js";
import { startTestServer, type TestServer, transportFor } from "../../support/test-server.js";
import { hostileCase, raceBatch, resolveCase } from "./arbitraries.js";
import { judge, registerPrior } from "./expected-answers.js";
import { checkStore, params, REQUEST_MAX_BYTES, uid, useToken, verdict } from "./harness.js";
import { expectStoreMatches, Model } from "./model.js";
import { modelSteps } from "./model-steps.js";
import { runBatch } from "./races.js";
import { buildWorld } from "./world.js";

/**
 * Hostile input, property-based: every RPC over Connect (binary and JSON, HTTP/1.1)
 * and gRPC gets random, huge, odd-unicode and control-character fields, foreign
 * and replayed tokens, and concurrent flows racing for one account. Every answer
 * goes through RpcDriver, which fails the run on INTERNAL/UNKNOWN, a missing or
 * foreign ErrorInfo, a reason the RPC does not document, or internals in a
 * message. After each run the store's invariants are checked on a snapshot; at
 * the end, the logs are scanned for secrets and the server must still answer.
 *
 * Errors without ErrorInfo come only from connect-node itself, before any
 * interceptor runs, and only where predicted: RESOURCE_EXHAUSTED for a body over
 * REQUEST_MAX_BYTES, and INVALID_ARGUMENT for a body that does not decode
 * (Connect JSON with a lone surrogate escaped in a string: invalid UTF-8). See
 * RpcDriver.call.
 *
 * Reproduce a failure: fast-check prints `seed` and `path`; rerun that property with
 * UH_FC_SEED=<seed> UH_FC_PATH=<path> npx vitest run test/rpc/hostile-input/properties.test.ts -t '<its name>'.
 */

let t: TestServer;
let rpc: RpcDriver;
beforeAll(async () => {
  t = await startTestServer({ env: { REQUEST_MAX_BYTES: String(REQUEST_MAX_BYTES) } });
  rpc = new RpcDriver(t, REQUEST_MAX_BYTES);
});
afterAll(async () => {
  rpc?.close();
  await t?.close();
});

/** Checked requests made by each property (set-up calls through `must` not included). */
const perProperty = new Map<string, number>();
async function counted(name: string, property: () => Promise<void>) {
  const before = rpc.total;
  const started = Date.now();
  await property();
  perProperty.set(name, rpc.total - before);
  perProperty.set(`${name} ms`, Date.now() - started);
}

describe("hostile input, property-based (fast-check)", () => {
  it("every RPC answers hostile, huge, odd-unicode and foreign-token fields within its contract", async () => {
    let world = await buildWorld(rpc);
    await counted("single", () =>
      fc.assert(
        fc.asyncProperty(hostileCase, async (c) => {
          const { req, ip, body } = resolveCase(c, world);
          // Register's answer depends on what the store held before it.
          const prior = c.rpc === "register" ? await registerPrior(rpc, req, c.wire) : undefined;
          const outcome = await rpc.call(c.wire, c.rpc, body as never);
          if (await judge(rpc, c, req, ip, outcome, world, prior)) world = await buildWorld(rpc);
          await checkStore(rpc);
        }),
        params(600),
      ),
    );
  }, 60_000);

  it("a sequential model of three accounts (fc.commands): every reply matches the model, tokens are single-use", async () => {
    await counted("model", () =>
      fc.assert(
        fc.asyncProperty(
          fc.commands(modelSteps, { maxCommands: 30, size: "max" }),
          async (steps) => {
            const model = new Model(`m${uid()}`);
            await fc.asyncModelRun(() => ({ model, real: { rpc } }), steps);
            expectStoreMatches(model, await checkStore(rpc));
            for (const { token, kind } of model.spent) {
              const again = await useToken(
                rpc,
                kind === "verification" ? "grpc" : "connect",
                kind,
                token,
              );
              expect(verdict(again), `replayed ${kind} token`).toBe("INVALID_TOKEN");
            }
          },
        ),
        params(40),
      ),
    );
  }, 60_000);

  it("register, login, change password, reset, delete and revoke racing for one account keep the store consistent", async () => {
    await counted("races", () =>
      fc.assert(
        fc.asyncProperty(raceBatch, (batch) => runBatch(rpc, batch)),
        params(40),
      ),
    );
  }, 60_000);
});

describe("after the storm", () => {
  it("the server still answers: a fresh client's VerifySession and a health Check", async () => {
    const fresh = createClient(AccountService, transportFor(t.server.url, "grpc"));
    expect((await fresh.verifySession({ sessionToken: "" })).valid).toBe(false);
    const health = createClient(Health, transportFor(t.server.url, "connect"));
    expect((await health.check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });

  it("no log line holds a raw token, a password the suite sent or a full email", () => {
    expect(logLeaks(t.logs, rpc.secrets)).toEqual([]);
  });

  it(">= 500 generated requests, every RPC over Connect binary, Connect JSON and gRPC", () => {
    const count = (wire: string, name: string) => rpc.counts.get(`${wire} ${name}`) ?? 0;
    for (const name of RPC_NAMES) {
      for (const wire of WIRES) expect(count(wire, name), `${wire} ${name}`).toBeGreaterThan(0);
    }
    expect(rpc.total).toBeGreaterThanOrEqual(500);
    const list = (entries: Iterable<[string, number]>) =>
      [...entries].map(([k, v]) => `${k} ${v}`).join(", ");
    const byRpc = RPC_NAMES.map((n) => `${n} ${WIRES.map((w) => count(w, n)).join("/")}`);
    console.info(
      `hostile-input: ${rpc.total} checked requests (${list(perProperty)}) (${WIRES.join("/")}): ${byRpc.join(", ")}; refused by the transport: ${list([...rpc.refusals].sort())}`,
    );
  });
});
