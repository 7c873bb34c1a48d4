// Prints README's configuration table from src/config.ts, the one place the
// variables are defined: `npx tsx scripts/config-table.ts`. A test keeps the
// README copy identical to this output.
import { VARIABLES } from "../src/config.js";

export function configTable(): string {
  const rows = Object.entries(VARIABLES).map(([name, variable]) => {
    const fallback =
      "default" in variable && variable.default !== undefined ? `\`${variable.default}\`` : "unset";
    return `| \`${name}\` | ${fallback} | ${variable.doc.replaceAll("|", "\\|")} |`;
  });
  return ["| variable | default | meaning |", "|---|---|---|", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(configTable());
