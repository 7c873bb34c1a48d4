import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSessionVerifier, type SessionClaims } from "@userharbor/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Finished, finished, run } from "../support/processes.js";
import { signUp } from "../support/sign-up.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * The Go, Python and Java session verifiers (sdk/<language>/) against a real server: each
 * language's own suite (go test, pytest, JUnit through Maven; scripts/sdk-tests.sh) runs
 * against this server, so every refusal, call count and fetch count is asserted in the
 * language itself; this file checks that each suite ran, passed and skipped nothing, and that
 * the one assertion the server issued here reads the same in all four verifiers.
 */

const LANGUAGES = ["go", "python", "java"] as const;
/** Each suite's test count today: fewer means tests were lost (not run), more is fine. */
const AT_LEAST = { go: 40, python: 125, java: 96 } as const;

let t: TestServer;
let dir: string;
let shared: { assertion: string; claims: SessionClaims };
const prepared = new Map<string, Finished>();

beforeAll(async () => {
  t = await startTestServer({
    env: { REQUIRE_VERIFIED_EMAIL: "false", SESSION_KEY_ROTATION: "1h" },
  });
  dir = await mkdtemp(join(tmpdir(), "uh-verifiers-"));
  const api = t.client("grpc");
  const sessionToken = await signUp(api, {
    username: `shared${Date.now().toString(36)}`,
    password: "verifier correct horse battery",
  });
  const { sessionAssertion } = await api.verifySession({ sessionToken, issueAssertion: true });
  const ts = createSessionVerifier({
    jwksUrl: `${t.server.url}/.well-known/jwks.json`,
    issuer: "userharbor",
  });
  shared = { assertion: sessionAssertion, claims: await ts.verify(sessionAssertion) };
  // One language at a time: the two cores are better spent on one Maven or Go build.
  for (const language of LANGUAGES) {
    prepared.set(
      language,
      await finished(run("scripts/sdk-tests.sh", ["prepare", language]), 8 * 60_000),
    );
  }
}, 25 * 60_000);

afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The closing line scripts/sdk-tests.sh prints for a language. */
function summaryOf(language: string, output: string) {
  const line = new RegExp(
    `^sdk-tests ${language}: (\\d+) passed, (\\d+) failed, (\\d+) skipped$`,
    "m",
  ).exec(output);
  return line
    ? { passed: Number(line[1]), failed: Number(line[2]), skipped: Number(line[3]) }
    : undefined;
}

describe("session verifiers in Go, Python and Java against a real server", () => {
  it.each(LANGUAGES)(
    "%s: its suite passes whole and reads the shared assertion as TypeScript does",
    async (language) => {
      const preparation = prepared.get(language);
      expect(preparation?.code, `preparing ${language} failed:\n${preparation?.output}`).toBe(0);
      const out = join(dir, "claims");
      const result = await finished(
        run("scripts/sdk-tests.sh", ["run", language], {
          UH_SERVER_URL: t.server.url,
          UH_SHARED_ASSERTION: shared.assertion,
          UH_SHARED_CLAIMS_OUT: out,
        }),
        4 * 60_000,
      );
      const shown = `${language} suite output:\n${result.output.slice(-12_000)}`;
      expect(result.code, shown).toBe(0);
      expect(summaryOf(language, result.output), shown).toEqual({
        passed: expect.any(Number),
        failed: 0,
        skipped: 0,
      });
      expect(summaryOf(language, result.output)?.passed, shown).toBeGreaterThanOrEqual(
        AT_LEAST[language],
      );

      const read = JSON.parse(await readFile(`${out}.${language}.json`, "utf8")) as Record<
        string,
        unknown
      >;
      const { claims } = shared;
      expect(read).toEqual({
        accountId: claims.accountId,
        sessionId: claims.sessionId,
        username: claims.username,
        emailVerified: claims.emailVerified,
        expiresAt: claims.expiresAt.getTime() / 1000,
      });
    },
    5 * 60_000,
  );
});
