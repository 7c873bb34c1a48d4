import http from "node:http";
import http2 from "node:http2";
import { cors } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * CORS at the HTTP level, over HTTP/1.1 and HTTP/2, against a real server: what a browser
 * sends (preflight, then the call) and what it needs back. test/browser/ proves the same with
 * a real Chromium; this suite pins the exact headers and the log line of a refusal.
 */

const PAGE = "http://127.0.0.1:8080";
const STRANGER = "http://127.0.0.1:9999";
const LOGIN = "/userharbor.v1.AccountService/Login";
const VERSIONS = ["HTTP/1.1", "HTTP/2"] as const;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

async function send(
  version: (typeof VERSIONS)[number],
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<Answer> {
  if (version === "HTTP/1.1") {
    return new Promise((resolve, reject) => {
      const req = http.request(`${baseUrl}${path}`, { method, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }
  const session = http2.connect(baseUrl);
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ":method": method, ":path": path, ...headers });
      stream.on("response", (head) => {
        stream.resume();
        stream.on("end", () =>
          resolve({ status: Number(head[":status"]), headers: head as Answer["headers"] }),
        );
      });
      stream.on("error", reject);
      stream.end(body);
    });
  } finally {
    session.close();
  }
}

const preflight = (origin: string) => ({
  origin,
  "access-control-request-method": "POST",
  "access-control-request-headers": "authorization,content-type,x-request-id",
});

const corsHeaders = (answer: Answer) =>
  Object.keys(answer.headers).filter((name) => name.startsWith("access-control-"));

const list = (value: unknown) =>
  String(value ?? "")
    .split(",")
    .map((item) => item.trim().toLowerCase());

describe.each(VERSIONS)("CORS over %s", (version) => {
  describe("with CORS_ORIGINS listing one page", () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ env: { CORS_ORIGINS: `${PAGE}, https://app.example.com` } });
    });
    afterAll(() => t.close());

    it("answers a preflight for an RPC path with the methods and headers Connect and gRPC-Web send", async () => {
      const answer = await send(version, t.server.url, "OPTIONS", LOGIN, preflight(PAGE));
      expect(answer.status).toBe(204);
      expect(answer.headers["access-control-allow-origin"]).toBe(PAGE);
      expect(list(answer.headers["access-control-allow-methods"])).toEqual(["post", "get"]);
      const allowed = list(answer.headers["access-control-allow-headers"]);
      for (const name of [
        "content-type",
        "connect-protocol-version",
        "connect-timeout-ms",
        "grpc-timeout",
        "x-grpc-web",
        "x-user-agent",
        "authorization",
        "x-request-id",
      ]) {
        expect(allowed).toContain(name);
      }
      expect(allowed).toEqual(
        expect.arrayContaining(cors.allowedHeaders.map((h) => h.toLowerCase())),
      );
      expect(Number(answer.headers["access-control-max-age"])).toBeGreaterThan(0);
    });

    it("lets the page read the status, error details and request id of the call itself", async () => {
      const answer = await send(
        version,
        t.server.url,
        "POST",
        LOGIN,
        { origin: PAGE, "content-type": "application/json", "x-request-id": "page-1" },
        JSON.stringify({ username: "nobody", password: "wrong password 123" }),
      );
      expect(answer.status).toBe(401); // Connect JSON: UNAUTHENTICATED
      expect(answer.headers["access-control-allow-origin"]).toBe(PAGE);
      expect(list(answer.headers["access-control-expose-headers"])).toEqual(
        expect.arrayContaining([
          "grpc-status",
          "grpc-message",
          "grpc-status-details-bin",
          "x-request-id",
        ]),
      );
    });

    it("gives an origin not listed no CORS headers at all, and logs why", async () => {
      const answer = await send(version, t.server.url, "OPTIONS", LOGIN, preflight(STRANGER));
      expect(answer.status).toBe(403);
      expect(corsHeaders(answer)).toEqual([]);
      const call = await send(
        version,
        t.server.url,
        "POST",
        LOGIN,
        { origin: STRANGER, "content-type": "application/json" },
        "{}",
      );
      expect(corsHeaders(call)).toEqual([]);
      const refusals = t.logs.map((line) => JSON.parse(line)).filter((l) => l.component === "cors");
      expect(refusals.at(-2)).toMatchObject({
        level: 40,
        origin: STRANGER,
        path: LOGIN,
        preflight: true,
        msg: `CORS: refused ${STRANGER}: origin not in CORS_ORIGINS`,
      });
      expect(refusals.at(-1)).toMatchObject({ origin: STRANGER, preflight: false });
    });

    it("leaves calls without an Origin (backends, grpcurl) and non-RPC paths alone", async () => {
      const backend = await send(version, t.server.url, "OPTIONS", LOGIN, {});
      expect(corsHeaders(backend)).toEqual([]);
      const elsewhere = await send(version, t.server.url, "OPTIONS", "/admin", preflight(PAGE));
      expect(elsewhere.status).not.toBe(204);
      expect(corsHeaders(elsewhere)).toEqual([]);
    });
  });

  describe("with CORS_ORIGINS unset (the default)", () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer();
    });
    afterAll(() => t.close());

    it("refuses every preflight without CORS headers and says CORS is off", async () => {
      const answer = await send(version, t.server.url, "OPTIONS", LOGIN, preflight(PAGE));
      expect(answer.status).toBe(403);
      expect(corsHeaders(answer)).toEqual([]);
      expect(t.logs.join("\n")).toContain(
        `CORS: refused ${PAGE}: CORS is off (CORS_ORIGINS is not set)`,
      );
    });
  });
});
