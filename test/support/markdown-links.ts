import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, resolve, sep } from "node:path";
import GithubSlugger from "github-slugger";
import { marked, type Token, type Tokens } from "marked";

/**
 * Relative links in Markdown, checked the way GitHub renders them: the target file or folder
 * exists inside the repository, and a `#fragment` names a heading of the target (GitHub's slug:
 * lower case, punctuation dropped, spaces to hyphens, `-1`, `-2` for repeats) or an explicit
 * `<a id>` / `<a name>`. Links inside code are not links. Fragments on other files may only be
 * GitHub's line anchors (`#L10`, `#L10-L20`).
 */

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
const EXPLICIT_ANCHOR = /<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi;
const HTML_LINK = /<(?:a|img)\s[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']/gi;
const LINE_ANCHOR = /^L\d+(?:-L\d+)?$/;
/** Folders never searched for Markdown: dependencies, tool caches, build output. */
const SKIPPED = new Set(["node_modules", "target", "build", "dist", "__pycache__"]);

export interface BrokenLink {
  /** The file holding the link, relative to the root. */
  file: string;
  href: string;
  problem: string;
}

/** The text GitHub slugs a heading from: its inline content without markup. */
function plainText(tokens: readonly Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      if ("tokens" in t && Array.isArray(t.tokens) && t.tokens.length > 0)
        return plainText(t.tokens);
      return t.type === "text" || t.type === "codespan" || t.type === "escape" ? t.text : "";
    })
    .join("");
}

interface Parsed {
  anchors: Set<string>;
  links: string[];
}

function parse(markdown: string): Parsed {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const links: string[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === "heading") {
      anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
    } else if (token.type === "link" || token.type === "image") {
      links.push((token as Tokens.Link | Tokens.Image).href);
    } else if (token.type === "html") {
      const html = (token as Tokens.HTML).text;
      for (const [, id = ""] of html.matchAll(EXPLICIT_ANCHOR)) anchors.add(id);
      for (const [, href = ""] of html.matchAll(HTML_LINK)) links.push(href);
    }
  });
  return { anchors, links };
}

/** Every broken relative link of `files` (paths relative to `root`). */
export function brokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  const parsed = new Map<string, Parsed>();
  const parsedFile = (path: string) => {
    let entry = parsed.get(path);
    if (!entry) {
      entry = parse(readFileSync(join(root, path), "utf8"));
      parsed.set(path, entry);
    }
    return entry;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    for (const href of parsedFile(file).links) {
      if (EXTERNAL.test(href)) continue;
      const fail = (problem: string) => broken.push({ file, href, problem });
      const hash = href.indexOf("#");
      const pathPart = decodeURI(hash < 0 ? href : href.slice(0, hash));
      const fragment = hash < 0 ? undefined : decodeURIComponent(href.slice(hash + 1));
      if (pathPart.startsWith("/")) {
        fail("absolute path: GitHub resolves it against its own site, write it relative");
        continue;
      }
      const target = pathPart === "" ? file : normalize(join(dirname(file), pathPart));
      if (target === ".." || target.startsWith(`..${sep}`)) {
        fail("points outside the repository");
        continue;
      }
      if (!existsSync(join(root, target))) {
        fail(`${target} does not exist`);
        continue;
      }
      if (fragment === undefined) continue;
      if (!target.endsWith(".md") || statSync(join(root, target)).isDirectory()) {
        if (!LINE_ANCHOR.test(fragment)) fail(`#${fragment} on a file that is not Markdown`);
        continue;
      }
      const { anchors } = parsedFile(target);
      if (!anchors.has(fragment)) {
        fail(
          `${target} has no heading or anchor #${fragment} (it has: ${[...anchors].join(", ")})`,
        );
      }
    }
  }
  return broken;
}

/** Markdown files under `root`: the named files, and every `.md` below the named folders. */
export function markdownFiles(root: string, entries: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const full = resolve(root, path);
    if (!existsSync(full)) return;
    if (statSync(full).isFile()) {
      if (path.endsWith(".md")) found.push(path);
      return;
    }
    for (const name of readdirSync(full).sort()) {
      if (SKIPPED.has(name) || name.startsWith(".")) continue;
      walk(relative(root, join(full, name)));
    }
  };
  for (const entry of entries) walk(entry);
  return found;
}
