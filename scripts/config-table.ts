// Prints README's configuration table from src/config/ (ENVIRONMENT), the one place the
// variables are defined: `npx tsx scripts/config-table.ts`. A test keeps the
// README copy identical to this output.
import { z } from "zod";
import { ENVIRONMENT } from "../src/config/index.js";

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

if (import.meta.url === `file://${process.argv[1]}`) console.log(configTable());
