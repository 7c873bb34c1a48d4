import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configTable } from "../../scripts/config-table.js";

describe("README configuration table", () => {
  it("lists every variable of src/config/ with its default, exactly as the config module defines it", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme
      .split("<!-- config:start -->")[1]
      ?.split("<!-- config:end -->")[0]
      ?.trim();
    expect(section, "regenerate with: npx tsx scripts/config-table.ts").toBe(configTable());
  });
});
