import { readFileSync } from "node:fs";

/**
 * The shell commands of one block of a Markdown file between `<!-- NAME:start -->` and
 * `<!-- NAME:end -->`, as a reader would type them: continuation lines joined, comments dropped.
 */
export function docCommands(file: string, name: string): string[] {
  const doc = readFileSync(file, "utf8");
  const block = doc.split(`<!-- ${name}:start -->`)[1]?.split(`<!-- ${name}:end -->`)[0];
  if (block === undefined) throw new Error(`${file} has no <!-- ${name}:start --> block`);
  const body = block.replace(/```bash\n|```/g, "").replace(/\\\n\s*/g, "");
  return body
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"));
}
