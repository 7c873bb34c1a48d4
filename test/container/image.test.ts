import { once } from "node:events";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, createClient } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Container,
  createContainer,
  healthcheckCommand,
  type ImageConfig,
  imageConfig,
  imageUnderTest,
  layerSizes,
  uidsOf,
} from "../support/container.js";
import { finished, freePort, type RunningProcess, run } from "../support/processes.js";
import { expectFailure } from "../support/rpc-errors.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";
import { transportFor } from "../support/test-server.js";

/**
 * The image the Dockerfile builds (CI builds it and names it in UH_IMAGE), run for real.
 * Without an image this file is skipped, saying why; under CI=true it fails instead.
 */
const found = await imageUnderTest();
const missing = "missing" in found ? found.missing : undefined;
if (missing && process.env.CI !== "true") console.warn(`test/container skipped: ${missing}`);
const describeImage = describe.skipIf(Boolean(missing) && process.env.CI !== "true");

/** The image under test, or the reason it is missing as this hook's failure. */
function image(): string {
  if ("missing" in found) throw new Error(found.missing);
  return found.image;
}

// This container shares the host's network (chroot isolation): on the image's HOST=0.0.0.0
// it would listen on every interface of this machine, so the tests keep it on loopback.
async function listenerEnv(): Promise<Record<string, string>> {
  return {
    HOST: "127.0.0.1",
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  };
}

const API_KEY = "container-smoke-api-key-0000001";
const client = { ip: "203.0.113.9", userAgent: "container-test/1.0" };

describeImage("the image in production mode", () => {
  let config: ImageConfig;
  let sink: SmtpSink;
  let box: Container;
  let server: RunningProcess;
  let url: string;

  beforeAll(async () => {
    config = await imageConfig(image());
    sink = await startSmtpSink();
    const listener = await listenerEnv();
    url = `http://127.0.0.1:${listener.PORT}`;
    // NODE_ENV=production comes from the image itself; production then demands the rest.
    box = await createContainer(image(), config, {
      ...listener,
      SECRET_KEY: "a-container-secret-key-of-32-chars-or-more",
      API_KEYS: `container-test=${API_KEY}:accounts`,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(sink.port),
      SMTP_REQUIRE_TLS: "false",
    });
    server = box.start();
    await server.waitFor(/UserHarbor listening/, 60_000);
  }, 120_000);

  afterAll(async () => {
    await box?.remove();
    await sink?.stop();
  });

  it("is built for production: NODE_ENV, user node, a HEALTHCHECK", () => {
    expect(config.Env).toContain("NODE_ENV=production");
    expect(config.User).toBe("node");
    expect(config.Healthcheck?.Test.length).toBeGreaterThan(1);
    expect(server.output()).toContain('"mail":"smtp"');
    expect(server.output()).not.toContain("dev mailbox");
  });

  it("runs its main process as uid 1000", () => {
    expect(uidsOf(box.mainPid())).toEqual([1000, 1000, 1000, 1000]);
  });

  it("answers its own HEALTHCHECK command with SERVING", async () => {
    const probe = await box.exec(healthcheckCommand(config.Healthcheck?.Test ?? []));
    expect(probe.stdout.trim(), probe.stderr).toBe("health: SERVING");
    expect(probe.code).toBe(0);
  });

  it("carries no npm, build tools, development dependencies or source maps", async () => {
    const lock = JSON.parse(await readFile("package-lock.json", "utf8")) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([path, entry]) => entry.dev && path.startsWith("node_modules/"))
      .map(([path]) => path);
    expect(devOnly).toContain("node_modules/vitest");
    const survey = `
      const fs = require("node:fs"), path = require("node:path");
      const onPath = (tool) => process.env.PATH.split(":").some((d) => fs.existsSync(path.join(d, tool)));
      const maps = fs.readdirSync("dist", { recursive: true }).filter((f) => f.endsWith(".map"));
      console.log(JSON.stringify({
        tools: ["npm", "npx", "yarn", "corepack", "gcc", "cc", "g++", "make", "python3"].filter(onPath),
        dev: JSON.parse(process.argv[1]).filter((p) => fs.existsSync(p)),
        argon2: fs.existsSync("node_modules/argon2/package.json"),
        maps,
      }));`;
    const result = await box.exec(["node", "-e", survey, JSON.stringify(devOnly)]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ tools: [], dev: [], argon2: true, maps: [] });
  });

  it("adds under 60 MB to its base (the app layer)", async () => {
    const dockerfile = await readFile("Dockerfile", "utf8");
    const base = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].at(-1)?.[1] ?? "";
    const [mine, theirs] = [await layerSizes(image()), await layerSizes(base)];
    const added = mine.slice(0, mine.length - theirs.length).reduce((sum, size) => sum + size, 0);
    console.log(`app layer of ${image()} over ${base}: ${(added / 1e6).toFixed(1)} MB`);
    expect(added).toBeGreaterThan(1e6); // at least the app itself
    expect(added).toBeLessThan(60e6);
  });

  it("refuses a caller without the API key", async () => {
    const api = createClient(AccountService, transportFor(url, "grpc"));
    await expectFailure(
      api.resendVerification({ email: "nobody@example.com", client }),
      Code.Unauthenticated,
      "INVALID_API_KEY",
    );
  });

  it("registers, verifies with the mailed token and logs in over gRPC with the API key", async () => {
    const api = createClient(AccountService, transportFor(url, "grpc"));
    const headers = { authorization: `Bearer ${API_KEY}` };
    const account = { username: "shipped", email: "shipped@example.com" };
    const password = "production correct horse";
    const { user } = await api.register({ ...account, password, client }, { headers });
    expect(user).toMatchObject({ ...account, emailVerified: false });

    const [mail] = await sink.waitFor(account.email);
    expect(mail?.subject).toBe("Confirm your email for UserHarbor");
    const token = mail?.text?.match(/uhv_[A-Za-z0-9_-]{43}/)?.[0] ?? "";
    expect(token).not.toBe("");
    const verified = await api.verifyEmail({ token, client }, { headers });
    expect(verified.user).toMatchObject({ ...account, emailVerified: true });

    const session = await api.login({ username: account.username, password, client }, { headers });
    expect(session.sessionToken).toMatch(/^uhs_/);
    const check = await api.verifySession({ sessionToken: session.sessionToken }, { headers });
    expect(check).toMatchObject({ valid: true, username: account.username });
  });

  it("ends cleanly on SIGTERM within the grace period, and the HEALTHCHECK then fails", async () => {
    // What `docker stop` does: SIGTERM to the main process, SIGKILL after 10 s.
    const exited = once(server.child, "exit");
    const signalled = Date.now();
    process.kill(box.mainPid(), "SIGTERM");
    const [code] = await exited;
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(code, server.output().slice(-2000)).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');

    const probe = await box.exec(healthcheckCommand(config.Healthcheck?.Test ?? []));
    expect(probe.code).not.toBe(0);
    expect(probe.stdout).toContain("health: unreachable");
  });
});

describeImage("the TypeScript example's whole lifecycle against the image", () => {
  let dir: string;
  let box: Container;
  let server: RunningProcess;
  let address: string;

  beforeAll(async () => {
    // The example reads its tokens from the dev mailbox file, which only development writes.
    dir = await mkdtemp(join(tmpdir(), "uh-container-mail-"));
    await chmod(dir, 0o777); // the container's user (uid 1000) writes the mailbox here
    const listener = await listenerEnv();
    address = `127.0.0.1:${listener.PORT}`;
    box = await createContainer(
      image(),
      await imageConfig(image()),
      {
        ...listener,
        NODE_ENV: "development",
        DEV_MAILBOX_FILE: "/mailbox/mail.jsonl",
        // The example logs in several times from one address in a few seconds.
        LIMIT_LOGIN_IP: "10000/1m",
        LIMIT_LOGIN_ACCOUNT: "10000/1m",
        LIMIT_REGISTER_IP: "10000/1m",
        LIMIT_MAIL_EMAIL: "10000/1m",
        LIMIT_MAIL_IP: "10000/1m",
      },
      [`${dir}:/mailbox`],
    );
    server = box.start();
    await server.waitFor(/UserHarbor listening/, 60_000);
  }, 120_000);

  afterAll(async () => {
    await box?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    { example: "typescript", protocol: "grpc" },
    { example: "typescript-connect", protocol: "connect" },
  ])("$example example runs every RPC over $protocol", async ({ example, protocol }) => {
    const result = await finished(
      run("scripts/run-examples.sh", ["run", example], {
        USERHARBOR_ADDR: address,
        DEV_MAILBOX_FILE: join(dir, "mail.jsonl"),
      }),
      120_000,
    );
    const shown = `${result.output}\n--- container log (tail):\n${server.output().slice(-3000)}`;
    expect(result.code, shown).toBe(0);
    expect(result.output, shown).toContain(`lifecycle complete over ${protocol}`);
  }, 150_000);
});
