import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docCommands } from "../support/doc-commands.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Runs the recipes of docs/tools.md exactly as written (the lines between the tools markers),
 * with grpcurl and grpc-health-probe as scripts/install-tools.sh builds them (pinned, from the
 * Go module proxy), against a live server. Only the port is filled in by the test.
 */

const run = promisify(execFile);
const TOOLS_DOC = "docs/tools.md";
const doc = readFileSync(TOOLS_DOC, "utf8");
const TOOLS = resolve(".tools/bin");

interface Ran {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

describe("docs/tools.md recipes (grpcurl, grpc-health-probe)", () => {
  let t: TestServer;
  const ran: Ran[] = [];
  const result = (fragment: string) => {
    const found = ran.filter((r) => r.command.includes(fragment));
    expect(found, `exactly one recipe contains ${fragment}`).toHaveLength(1);
    return found[0] as Ran;
  };

  beforeAll(async () => {
    // Idempotent: CI ran it already (.ci/run); on a fresh checkout it builds both (minutes).
    await run("scripts/install-tools.sh", [], { timeout: 10 * 60_000 });
    t = await startTestServer();
    const address = new URL(t.server.url).host;
    for (const command of docCommands(TOOLS_DOC, "tools")) {
      const shell = await run("bash", ["-c", command.replaceAll("127.0.0.1:50051", address)], {
        env: { ...process.env, PATH: `${TOOLS}:${process.env.PATH}` },
        timeout: 30_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      ran.push({ command, code: shell.code, stdout: shell.stdout, stderr: shell.stderr });
    }
  }, 11 * 60_000);
  afterAll(() => t?.close());

  it("has the eight recipes the checks below expect", () => {
    expect(ran).toHaveLength(8);
  });

  it("lists the services and describes the contract through reflection", () => {
    const list = result(" list");
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split("\n")).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "userharbor.v1.AccountService",
      "userharbor.v1.AdminService",
    ]);
    const service = result("describe userharbor.v1.AccountService");
    expect(service.stdout).toContain("service AccountService {");
    expect(service.stdout).toContain(
      "rpc Login ( .userharbor.v1.LoginRequest ) returns ( .userharbor.v1.LoginResponse );",
    );
    const message = result("describe userharbor.v1.LoginRequest");
    expect(message.stdout).toContain("message LoginRequest {");
    expect(message.stdout).toMatch(/string username = 1;/);
  });

  it("shows a failed call's status and ErrorInfo exactly as the doc prints it", () => {
    const login = result("AccountService/Login");
    expect(login.code).toBe(64 + 16); // grpcurl: 64 + UNAUTHENTICATED
    const shown = doc.split("The failed Login prints:\n\n```\n")[1]?.split("```")[0];
    expect(login.stderr.trim()).toBe(shown?.trim());
  });

  it("prints {} for a dead session, and valid=false once defaults are emitted", () => {
    const plain = ran.filter((r) => r.command.includes("AccountService/VerifySession"));
    expect(plain).toHaveLength(2);
    const [omitted, emitted] = plain as [Ran, Ran];
    expect(omitted.command).not.toContain("-emit-defaults");
    expect(omitted.stdout.trim()).toBe("{}");
    expect(emitted.command).toContain("-emit-defaults");
    expect(JSON.parse(emitted.stdout)).toMatchObject({ valid: false, username: "" });
  });

  it("reports SERVING to grpc-health-probe, for the server and for AccountService", () => {
    const probes = ran.filter((r) => r.command.startsWith("grpc-health-probe"));
    expect(probes).toHaveLength(2);
    for (const probe of probes) {
      expect(probe.code, probe.stderr).toBe(0);
      expect(`${probe.stdout}${probe.stderr}`.trim()).toBe("status: SERVING");
    }
    expect(probes[1]?.command).toContain("-service userharbor.v1.AccountService");
  });
});
