import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_DOC, configTable, tableIn } from "../../scripts/config-table.js";

describe("configuration table (docs/configuration.md)", () => {
  it("lists every variable of src/config/ with its default, exactly as the config module defines it", () => {
    const shown = tableIn(readFileSync(CONFIG_DOC, "utf8"));
    expect(shown, `regenerate with: npx tsx scripts/config-table.ts --write`).toBe(configTable());
  });
});
