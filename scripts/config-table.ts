// The configuration table of docs/configuration.md, generated from ENVIRONMENT (src/config/),
// the one place the variables are defined. `npx tsx scripts/config-table.ts` prints it; `--write`
// replaces the copy between the config markers in docs/configuration.md. A test
// (test/docs/configuration.test.ts) fails while that copy differs from this output.
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { ENVIRONMENT } from "../src/config/index.js";

export const CONFIG_DOC = "docs/configuration.md";
const START = "<!-- config:start -->";
const END = "<!-- config:end -->";

/** The default as typed in the environment, from `.default()` / `.prefault()`. */
function defaultOf(schema: z.ZodType): string | undefined {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
    return String(schema.def.defaultValue);
  }
  return undefined;
}

export function configTable(): string {
  const rows = Object.entries(ENVIRONMENT.shape).map(([name, schema]) => {
    const fallback = defaultOf(schema);
    const meaning = schema.meta()?.description ?? "";
    return `| \`${name}\` | ${fallback === undefined ? "unset" : `\`${fallback}\``} | ${meaning.replaceAll("|", "\\|")} |`;
  });
  return ["| variable | default | meaning |", "|---|---|---|", ...rows].join("\n");
}

/** The table as a document holds it between the config markers (undefined: no markers). */
export function tableIn(doc: string): string | undefined {
  const [, after] = doc.split(START);
  return after?.split(END)[0]?.trim();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--write")) {
    const doc = readFileSync(CONFIG_DOC, "utf8");
    const [before, rest = ""] = doc.split(START);
    const [, after] = rest.split(END);
    if (after === undefined) throw new Error(`${CONFIG_DOC} lacks ${START} ... ${END}`);
    writeFileSync(CONFIG_DOC, `${before}${START}\n${configTable()}\n${END}${after}`);
  } else {
    console.log(configTable());
  }
}
