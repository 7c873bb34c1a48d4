import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { COLLECTION_NAMES } from "../../src/adapters/storage/mongodb/collections.js";
import { ENVIRONMENT } from "../../src/config/index.js";
import { TOKEN_PREFIX } from "../../src/core/domain/tokens.js";
import { ERRORS } from "../../src/core/errors.js";
import { STATUSES } from "../support/error-docs.js";

/**
 * Lists in the docs that the code defines: each is read from the code and must appear where a
 * reader looks for it, so adding a port, a token kind, a collection, a mail kind, an audit event
 * or a metric without documenting it fails here, naming the doc to update.
 */

const read = (file: string) => readFileSync(file, "utf8");
const DOCS = ["README.md", "SECURITY.md", ...readdirSync("docs").map((name) => join("docs", name))];
const missingFrom = (text: string, names: readonly string[]) =>
  names.filter((name) => !text.includes(name));
/** The README's "Design in one screen" section. */
const design =
  read("README.md")
    .split(/^## Design in one screen$/m)[1]
    ?.split(/^## /m)[0] ?? "";
/** A section of a Markdown file, from its heading to the next heading of the same level. */
function section(file: string, heading: string): string {
  const level = heading.match(/^#+/)?.[0] ?? "##";
  const after = read(file).split(new RegExp(`^${heading}$`, "m"))[1];
  expect(after, `${file} has a "${heading}" section`).toBeDefined();
  return after?.split(new RegExp(`^${level} `, "m"))[0] ?? "";
}

describe("facts the docs repeat from the code", () => {
  it("the README's design names every port of src/core/ports", () => {
    const ports = readdirSync("src/core/ports")
      .filter((name) => name.endsWith(".ts") && name !== "store.ts")
      .map((name) =>
        basename(name, ".ts")
          .split("-")
          .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
          .join(""),
      );
    for (const port of ports) {
      const file = `src/core/ports/${port.replace(/(?<!^)([A-Z])/g, "-$1").toLowerCase()}.ts`;
      expect(read(file), `${file} exports ${port}`).toMatch(
        new RegExp(`export (interface|type) ${port}\\b`),
      );
    }
    expect(missingFrom(design, ports), "README, Design in one screen: ports/").toEqual([]);
  });

  it("the README's design and SECURITY.md name every token prefix", () => {
    const prefixes = Object.values(TOKEN_PREFIX).map((prefix) => `\`${prefix}\``);
    expect(missingFrom(design, prefixes), "README, Design in one screen: Tokens").toEqual([]);
    expect(missingFrom(read("SECURITY.md"), prefixes), "SECURITY.md: Defaults").toEqual([]);
  });

  it("the MongoDB docs name every collection the store creates", () => {
    const collections = COLLECTION_NAMES.map((name) => `\`${name}\``);
    const tableRows = (file: string) =>
      read(file)
        .split("\n")
        .filter((line) => line.startsWith("| `"))
        .join("\n");
    expect(missingFrom(tableRows("docs/mongodb.md"), collections), "docs/mongodb.md").toEqual([]);
    expect(
      missingFrom(section("docs/scaling.md", "## Shard keys"), collections),
      "docs/scaling.md, Shard keys",
    ).toEqual([]);
  });

  it("the mail docs and MAIL_TEMPLATE_DIR name every template kind, and no other", () => {
    const kinds = readdirSync("src/adapters/email/templates")
      .filter((name) => name.endsWith(".txt"))
      .map((name) => basename(name, ".txt"))
      .sort();
    const documented = [...section("docs/mail.md", "## Templates").matchAll(/^\| `(\w+)` \|/gm)]
      .map(([, kind]) => kind)
      .sort();
    expect(documented, "docs/mail.md, Templates: one row per kind").toEqual(kinds);
    const described = ENVIRONMENT.shape.MAIL_TEMPLATE_DIR.meta()?.description ?? "";
    const listed = described
      .match(/kinds: ([^)]*)\)/)?.[1]
      ?.split(/,\s*/)
      .sort();
    expect(listed, "MAIL_TEMPLATE_DIR's description in src/config/").toEqual(kinds);
  });

  it("the operations doc names every audit event and every metric", () => {
    const events = [...read("src/core/ports/audit-log.ts").matchAll(/type: "([\w.]+)"/g)].map(
      ([, type]) => `\`${type}\``,
    );
    expect(events.length).toBeGreaterThan(10);
    expect(
      missingFrom(section("docs/operations.md", "## Audit events"), events),
      "docs/operations.md, Audit events",
    ).toEqual([]);
    const metrics = [
      ...read("src/observability/metrics.ts").matchAll(/name: "(userharbor_\w+)"/g),
    ].map(([, name]) => `\`${name}`);
    expect(metrics.length).toBeGreaterThan(4);
    expect(missingFrom(read("docs/operations.md"), metrics), "docs/operations.md, Metrics").toEqual(
      [],
    );
  });

  it("every environment variable the docs name exists in src/config/", () => {
    const variables = Object.keys(ENVIRONMENT.shape);
    const prefixes = new Set(variables.map((name) => name.split("_")[0]));
    // Not ours: Node's own variable, set in the stand-in container base.
    const foreign = new Set(["NODE_EXTRA_CA_CERTS"]);
    for (const file of DOCS) {
      // Words like LIMIT_LOGIN_IP, or a family like ARGON2_*, whose first part is a variable's.
      const unknown = [...read(file).matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:_\*)?/g)]
        .map(([word]) => word)
        .filter((word) => prefixes.has(word.split("_")[0]))
        .filter((word) => !Object.hasOwn(ERRORS, word) && !STATUSES.has(word) && !foreign.has(word))
        .filter((word) =>
          word.endsWith("_*")
            ? !variables.some((name) => name.startsWith(word.slice(0, -1)))
            : !variables.includes(word),
        );
      expect([...new Set(unknown)], `${file} names variables src/config/ lacks`).toEqual([]);
    }
  });

  it("every test file the ASVS table cites exists", () => {
    const cited = [...read("docs/asvs.md").matchAll(/`([\w/.-]+\.test\.ts)`/g)].map(([, path]) =>
      path?.startsWith("test/") ? path : `test/${path}`,
    );
    expect(cited.length).toBeGreaterThan(20);
    expect(
      cited.filter((path) => !existsSync(path)),
      "docs/asvs.md cites",
    ).toEqual([]);
  });
});
