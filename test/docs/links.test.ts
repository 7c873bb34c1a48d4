import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { brokenLinks, markdownFiles } from "../support/markdown-links.js";

/**
 * Every relative link and #anchor in the repository's Markdown resolves as GitHub renders it:
 * README.md, SECURITY.md, docs/, and the hand-written READMEs of examples/, sdk/ and gen/.
 */
const DOCS = markdownFiles(".", ["README.md", "SECURITY.md", "docs", "examples", "sdk", "gen"]);

describe("relative links and anchors in the docs", () => {
  it("covers the README, SECURITY.md and docs/", () => {
    expect(DOCS).toEqual(expect.arrayContaining(["README.md", "SECURITY.md", "docs/sdks.md"]));
  });

  it.each(DOCS)("%s: every relative link and #anchor resolves", (file) => {
    const broken = brokenLinks(".", [file]).map((b) => `${b.href}: ${b.problem}`);
    expect(broken, `${file} has broken links`).toEqual([]);
  });
});

describe("the link checker", () => {
  const root = mkdtempSync(join(tmpdir(), "uh-links-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    "docs/target.md",
    [
      "# Target",
      "## The `config.ts` table",
      "## Repeat",
      "## Repeat",
      '<a id="explicit"></a>',
      "| a | b |",
      "|---|---|",
      '| x <a name="in-table"></a> | y |',
    ].join("\n\n"),
  );
  write("src/code.ts", "export {};\n");

  const problems = (text: string) => {
    write("docs/source.md", text);
    return brokenLinks(root, ["docs/source.md"]).map((b) => b.href);
  };

  it("accepts files, folders, GitHub heading slugs (repeats numbered) and explicit anchors", () => {
    expect(
      problems(
        [
          "[a](target.md) [b](target.md#the-configts-table) [c](target.md#repeat-1)",
          "[d](target.md#explicit) [e](target.md#in-table) [f](../src) [g](../src/code.ts#L3-L5)",
          "[h](#own-heading) <a href='target.md#repeat'>i</a> [j](https://example.com/x.md#nope)",
          "## Own heading",
          "```md\n[not a link](missing.md)\n```",
          "`[not a link either](missing.md)`",
        ].join("\n\n"),
      ),
    ).toEqual([]);
  });

  it("reports missing files, missing anchors, escapes and anchors on non-Markdown files", () => {
    expect(
      problems(
        [
          "[a](missing.md) [b](target.md#nope) [c](target.md#repeat-2) [d](#nowhere)",
          "[e](../../outside.md) [f](../src/code.ts#top) [g](/docs/target.md)",
          "| table | [h](target.md#The-Config-table) |\n|---|---|\n| x | y |",
          '<img src="missing.png">',
        ].join("\n\n"),
      ),
    ).toEqual([
      "missing.md",
      "target.md#nope",
      "target.md#repeat-2",
      "#nowhere",
      "../../outside.md",
      "../src/code.ts#top",
      "/docs/target.md",
      "target.md#The-Config-table",
      "missing.png",
    ]);
  });
});
