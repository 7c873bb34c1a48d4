import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Finished,
  finished,
  freePort,
  type RunningProcess,
  run,
} from "../support/processes.js";

/**
 * Runs each SDK example (examples/<language>/, through scripts/run-examples.sh) against a real
 * `npx tsx src/server.ts`. Preparing the toolchains is slow the first time (Maven and Go
 * downloads): several minutes, hence the long hook timeout. A missing toolchain fails its case
 * with the script's message; nothing is skipped.
 */

const LANGUAGES = ["typescript", "go", "python", "java"] as const;
/** Where the SDK walkthroughs live; their snippets are lines of the examples below. */
const SDK_DOC = "docs/sdks.md";
const FROM_BLOCK = /<!-- from (\S+) -->\n```\w+\n([\s\S]*?)```/g;
const EXAMPLES = [
  { example: "typescript", language: "typescript", protocol: "grpc" },
  { example: "typescript-connect", language: "typescript", protocol: "connect" },
  { example: "go", language: "go", protocol: "grpc" },
  { example: "python", language: "python", protocol: "grpc" },
  { example: "java", language: "java", protocol: "grpc" },
] as const;

describe("SDK examples against a real server", () => {
  let dir: string;
  let server: RunningProcess;
  let clientEnv: Record<string, string>;
  const prepared = new Map<string, Finished>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "uh-examples-"));
    const port = await freePort();
    const mailbox = join(dir, "mailbox.jsonl");
    clientEnv = { USERHARBOR_ADDR: `127.0.0.1:${port}`, DEV_MAILBOX_FILE: mailbox };
    server = run("npx", ["tsx", "src/server.ts"], {
      PORT: String(port),
      HOST: "127.0.0.1",
      METRICS_PORT: "0", // 9090 may be taken on a shared machine
      DEV_MAILBOX_FILE: mailbox,
      ARGON2_MEMORY_KIB: "1024",
      ARGON2_TIME_COST: "1",
      LIMIT_LOGIN_IP: "10000/1m",
      LIMIT_LOGIN_ACCOUNT: "10000/1m",
      LIMIT_REGISTER_IP: "10000/1m",
      LIMIT_MAIL_EMAIL: "10000/1m",
      LIMIT_MAIL_IP: "10000/1m",
    });
    // One language at a time: the two cores are better spent on one Maven or Go build.
    for (const language of LANGUAGES) {
      const preparing = run("scripts/run-examples.sh", ["prepare", language]);
      prepared.set(language, await finished(preparing, 10 * 60_000));
    }
    await server.waitFor(/UserHarbor listening/);
  }, 25 * 60_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(EXAMPLES)("$example example runs the whole lifecycle over $protocol", async ({
    example,
    language,
    protocol,
  }) => {
    const preparation = prepared.get(language);
    expect(preparation?.code, `preparing ${language} failed:\n${preparation?.output}`).toBe(0);
    const result = await finished(
      run("scripts/run-examples.sh", ["run", example], clientEnv),
      150_000,
    );
    const shown = `${example} example output:\n${result.output}\n--- server log (tail):\n${server.output().slice(-3000)}`;
    expect(result.code, shown).toBe(0);
    expect(result.output, shown).toContain(`lifecycle complete over ${protocol}`);
  }, 180_000);

  it("docs/sdks.md's Python block runs as pasted, in the example's venv", async () => {
    const preparation = prepared.get("python");
    expect(preparation?.code, `preparing python failed:\n${preparation?.output}`).toBe(0);
    const doc = await readFile(SDK_DOC, "utf8");
    const block = doc
      .split("<!-- from examples/python/lifecycle.py -->\n```python\n")[1]
      ?.split("```")[0];
    expect(block, `${SDK_DOC} has the Python block`).toBeTruthy();
    const file = join(dir, "quickstart.py");
    await writeFile(file, block ?? "");
    const result = await finished(
      run(".tools/examples-venv/bin/python", [file], clientEnv),
      60_000,
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(
      /^registered py-[0-9a-f]{8} email_verified: False\nLogin: FAILED_PRECONDITION EMAIL_NOT_VERIFIED\n$/,
    );
  }, 90_000);
});

describe("SDK snippets in the docs", () => {
  /** Every `<!-- from FILE -->` block of README.md and docs/: [doc, source file, body]. */
  async function snippets(): Promise<[string, string, string][]> {
    const docs = ["README.md", ...(await readdir("docs")).map((name) => join("docs", name))];
    const found: [string, string, string][] = [];
    for (const doc of docs.filter((name) => name.endsWith(".md"))) {
      const text = await readFile(doc, "utf8");
      for (const [, file = "", body = ""] of text.matchAll(FROM_BLOCK))
        found.push([doc, file, body]);
    }
    return found;
  }

  it("README quotes every framework example app (examples/<name>/run.sh) in Use it from your backend", async () => {
    const readme = await readFile("README.md", "utf8");
    const section = readme.split("## Use it from your backend")[1]?.split("\n## ")[0] ?? "";
    const quoted = new Set(
      [...section.matchAll(FROM_BLOCK)].map(([, file = ""]) => file.split("/")[1]),
    );
    const apps: string[] = [];
    for (const entry of await readdir("examples", { withFileTypes: true })) {
      const script = join("examples", entry.name, "run.sh");
      if (
        entry.isDirectory() &&
        (await readFile(script).then(
          () => true,
          () => false,
        ))
      )
        apps.push(entry.name);
    }
    expect(apps.length).toBeGreaterThanOrEqual(2);
    expect(
      apps.filter((app) => !quoted.has(app)),
      "apps without a README snippet",
    ).toEqual([]);
  });

  it("shows only lines of the tested examples, in their order", async () => {
    const blocks = await snippets();
    expect(blocks.filter(([doc]) => doc === SDK_DOC).length).toBeGreaterThanOrEqual(
      LANGUAGES.length,
    );
    for (const [doc, file, body] of blocks) {
      const source = (await readFile(file, "utf8")).split("\n").map((line) => line.trim());
      let at = 0;
      for (const line of body.trimEnd().split("\n")) {
        if (line.trim() === "" || line.trim() === "...") continue;
        const found = source.indexOf(line.trim(), at);
        expect(
          found,
          `${doc}: line not found in ${file} (in order): ${line}`,
        ).toBeGreaterThanOrEqual(0);
        at = found + 1;
      }
    }
  });
});
