import { readFileSync } from "node:fs";

/**
 * The shell commands of one README block between `<!-- NAME:start -->` and `<!-- NAME:end -->`,
 * as a reader would type them: continuation lines joined, comments dropped.
 */
export function readmeCommands(name: string): string[] {
  const readme = readFileSync("README.md", "utf8");
  const block = readme.split(`<!-- ${name}:start -->`)[1]?.split(`<!-- ${name}:end -->`)[0] ?? "";
  const body = block.replace(/```bash\n|```/g, "").replace(/\\\n\s*/g, "");
  return body
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"));
}
