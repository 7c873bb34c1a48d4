import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningProcess, run } from "../support/processes.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";
import { transportFor } from "../support/test-server.js";

const API_KEY = "production-smoke-api-key-000001";

/**
 * What the Dockerfile does, without a Docker engine: build, install production
 * dependencies only into a fresh folder with the built server, start it there
 * as NODE_ENV=production, pass the HEALTHCHECK command and one Register call.
 */
describe("production build (the container's steps, outside Docker)", () => {
  const app = mkdtempSync(join(tmpdir(), "userharbor-release-"));
  let sink: SmtpSink;
  let server: RunningProcess;
  let port: number;
  beforeAll(async () => {
    execFileSync("npm", ["run", "build"], { stdio: "pipe" });
    for (const path of ["package.json", "package-lock.json", "gen/ts", "dist"]) {
      cpSync(path, join(app, path), { recursive: true });
    }
    execFileSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], {
      cwd: app,
      stdio: "pipe",
    });
    sink = await startSmtpSink();
    port = await freePort();
    server = run(
      "node",
      ["dist/server.js"],
      {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        METRICS_PORT: String(await freePort()),
        SECRET_KEY: "a-production-secret-key-of-32-chars-or-more",
        API_KEYS: `smoke=${API_KEY}:accounts`,
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(sink.port),
        SMTP_REQUIRE_TLS: "false",
      },
      app,
    );
    await server.waitFor(/UserHarbor listening/);
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await sink?.stop();
    rmSync(app, { recursive: true, force: true });
  });

  it("installs no development dependencies", () => {
    for (const dev of ["vitest", "tsx", "typescript", "@biomejs/biome", "smtp-server"]) {
      expect(existsSync(join(app, "node_modules", dev)), dev).toBe(false);
    }
    expect(existsSync(join(app, "node_modules", "argon2"))).toBe(true);
  });

  it("passes the HEALTHCHECK command", () => {
    const out = execFileSync("node", ["dist/healthcheck.js"], {
      cwd: app,
      env: { ...process.env, PORT: String(port) },
      encoding: "utf8",
    });
    expect(out.trim()).toBe("health: SERVING");
  });

  it("registers an account with an API key and mails the link over SMTP", async () => {
    const api = createClient(AccountService, transportFor(`http://127.0.0.1:${port}`, "grpc"));
    const { user } = await api.register(
      { username: "shipped", email: "shipped@example.com", password: "production correct horse" },
      { headers: { authorization: `Bearer ${API_KEY}` } },
    );
    expect(user?.username).toBe("shipped");
    const [mail] = await sink.waitFor("shipped@example.com");
    expect(mail?.subject).toBe("Confirm your email for UserHarbor");
    expect(server.output()).not.toContain("dev mailbox");
  });
});
