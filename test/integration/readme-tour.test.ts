import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docCommands } from "../support/doc-commands.js";
import { freePort, type RunningProcess, run } from "../support/processes.js";

/**
 * Runs README's tour as written against `npm start`: the commands between the
 * tour markers, in order. Only the placeholders a reader fills in by hand (the
 * port, and TOKEN/SESSION copied from the log and the Login answer) are filled
 * in by the test.
 */
describe("README tour", () => {
  let server: RunningProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = run("npm", ["start"], { PORT: String(port), LOG_LEVEL: "info" });
    await server.waitFor(/UserHarbor listening/);
  });
  afterAll(() => server?.stop());

  it("works exactly as written against npm start", async () => {
    const commands = docCommands("README.md", "tour");
    expect(commands.filter((c) => c.startsWith("curl"))).toHaveLength(4);
    const env: Record<string, string> = {};
    const answers: unknown[] = [];
    for (const command of commands) {
      const assignment = command.match(/^(\w+)=(.*)$/);
      if (assignment) {
        const [, name = "", value = ""] = assignment;
        if (name === "UH") env.UH = value.replace("127.0.0.1:50051", `127.0.0.1:${port}`);
        else if (name === "TOKEN")
          env.TOKEN = (await server.waitFor(/token=(uhv_[A-Za-z0-9_-]{43})/))[1] ?? "";
        else if (name === "SESSION")
          env.SESSION = (answers.at(-1) as { sessionToken: string }).sessionToken;
        else throw new Error(`unexpected assignment in the tour: ${command}`);
        continue;
      }
      const stdout = execFileSync("bash", ["-c", command], {
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
      const answer = JSON.parse(stdout);
      expect(answer, command).not.toHaveProperty("code");
      answers.push(answer);
    }
    expect(answers.at(-1)).toMatchObject({
      user: { username: "jane", email: "jane@example.com", emailVerified: true },
    });
  });
});
