import { createHash } from "node:crypto";
import { Code, createClient } from "@connectrpc/connect";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../support/rpc-errors.js";
import {
  PROTOCOLS,
  startTestServer,
  type TestServer,
  transportFor,
} from "../support/test-server.js";

const RAW_KEY = "raw-api-key-for-backend-one-0001";
const HASHED_KEY = "second-backend-key-stored-as-digest";
const digest = createHash("sha256").update(HASHED_KEY).digest("hex");
const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe("API keys authenticate the calling backend", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { API_KEYS: `${RAW_KEY}, sha256:${digest}` } });
  });
  afterAll(() => t?.close());

  it.each(
    PROTOCOLS,
  )("over %s: no key, a wrong key, or a near miss get INVALID_API_KEY", async (protocol) => {
    const api = t.client(protocol);
    const call = (options?: { headers: Record<string, string> }) =>
      api.verifySession({ sessionToken: "" }, options);
    await expectFailure(call(), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(call(bearer("wrong")), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(call(bearer(`${RAW_KEY}x`)), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(call(bearer(`sha256:${digest}`)), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(
      call({ headers: { authorization: RAW_KEY } }),
      Code.Unauthenticated,
      "INVALID_API_KEY",
    );
  });

  it.each(
    PROTOCOLS,
  )("over %s: a raw key and a key configured by digest are accepted", async (protocol) => {
    const api = t.client(protocol);
    expect((await api.verifySession({ sessionToken: "" }, bearer(RAW_KEY))).valid).toBe(false);
    expect((await api.verifySession({ sessionToken: "" }, bearer(HASHED_KEY))).valid).toBe(false);
  });

  it("leaves health open for probes", async () => {
    const health = createClient(Health, transportFor(t.server.url, "grpc"));
    expect((await health.check({ service: "" })).status).toBe(1); // SERVING
  });
});
