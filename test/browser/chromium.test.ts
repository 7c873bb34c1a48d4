import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";
import type { Outcome, ScenarioInput } from "./page.js";

/**
 * A real browser on another origin: Debian's Chromium (apt package `chromium`), driven by
 * puppeteer-core, loads a page (test/browser/page.ts, bundled by esbuild with connect-web and
 * @userharbor/client) from an origin listed in CORS_ORIGINS and calls the server over Connect
 * and gRPC-Web; the same page from an origin not listed must fail. CI installs chromium
 * (.ci/run) and this suite then must run: without chromium it fails under CI=true and is
 * skipped, with the reason printed, only on a developer's machine.
 */

/** CHROMIUM_PATH if set, else where Debian and Ubuntu install it. */
const CHROMIUM = (
  process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
).find((path) => existsSync(path));
const skip = !CHROMIUM && !process.env.CI;
if (skip) {
  console.warn(
    "test/browser skipped: chromium not found (apt-get install chromium, or set CHROMIUM_PATH to a Chromium or Chrome binary); CI=true makes this a failure",
  );
}

const API_KEY = randomBytes(24).toString("base64url");

/** Serves one page (index.html + the bundle) on its own origin, 127.0.0.1:<random port>. */
async function pageServer(bundle: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === "/page.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(bundle);
    } else {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end('<!doctype html><title>page</title><script type="module" src="/page.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(skip)("a browser page on another origin (Chromium)", () => {
  let browser: Browser;
  let t: TestServer;
  let listed: Awaited<ReturnType<typeof pageServer>>;
  let stranger: Awaited<ReturnType<typeof pageServer>>;

  beforeAll(async () => {
    if (!CHROMIUM) return; // under CI: the first test fails, saying why
    const bundled = await build({
      entryPoints: [fileURLToPath(new URL("page.ts", import.meta.url))],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      target: "es2022",
      logLevel: "silent",
    });
    const bundle = bundled.outputFiles[0]?.text ?? "";
    [listed, stranger] = await Promise.all([pageServer(bundle), pageServer(bundle)]);
    t = await startTestServer({
      // The key a page may carry: accounts only, no client-ip (docs/browsers.md).
      env: {
        CORS_ORIGINS: listed.origin,
        API_KEYS: `web=${API_KEY}:accounts`,
        REQUIRE_VERIFIED_EMAIL: "false",
      },
    });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      // root in CI containers: Chromium's sandbox needs user namespaces it may not have.
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([t?.close(), listed?.close(), stranger?.close()]);
  });

  /** Opens the page on `origin` and runs its scenario against the server. */
  async function runPage(origin: string, input: Omit<ScenarioInput, "baseUrl" | "apiKey">) {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${origin}/`);
      await tab.waitForFunction(() => "userharbor" in globalThis);
      return await tab.evaluate(
        (args) =>
          (
            globalThis as unknown as {
              userharbor: { scenario(i: ScenarioInput): Promise<Outcome> };
            }
          ).userharbor.scenario(args),
        { ...input, baseUrl: t.server.url, apiKey: API_KEY },
      );
    } finally {
      await tab.close();
    }
  }

  it("has Chromium to drive (.ci/run installs Debian's chromium with apt)", () => {
    expect(
      CHROMIUM,
      "chromium not found: apt-get install chromium, or set CHROMIUM_PATH",
    ).toBeDefined();
  });

  it.each([
    "connect",
    "grpc-web",
  ] as const)("registers, verifies a session and reads a failed Login's ErrorInfo over %s", async (protocol) => {
    const username = `web-${protocol}-${randomBytes(3).toString("hex")}`;
    const outcome = await runPage(listed.origin, { protocol, username });
    expect(outcome.error).toBeUndefined();
    expect(outcome.registered).toEqual({ username, emailVerified: false });
    expect(outcome.session).toEqual({ valid: true, username });
    expect(outcome.failedLogin).toEqual({
      code: "16", // Code.Unauthenticated
      domain: "userharbor.v1",
      reason: "INVALID_CREDENTIALS",
    });
    // The page reads x-request-id because it is an exposed header.
    expect(outcome.requestIds.slice(0, 3)).toEqual(["page-1", "page-2", "page-3"]);
  }, 60_000);

  it.each([
    "connect",
    "grpc-web",
  ] as const)("fails from an origin not in CORS_ORIGINS over %s, and the server log says why", async (protocol) => {
    const outcome = await runPage(stranger.origin, { protocol, username: "web-stranger" });
    expect(outcome.registered).toBeUndefined();
    expect(outcome.error?.message).toMatch(/fetch/i); // the browser blocked the answer
    expect(t.logs.join("\n")).toContain(
      `CORS: refused ${stranger.origin}: origin not in CORS_ORIGINS`,
    );
    expect(await t.server.store.accounts.findByUsername("web-stranger")).toBeNull(); // never sent
  }, 60_000);
});
