import { readFileSync } from "node:fs";
import { Code } from "@connectrpc/connect";
import { marked, type Tokens } from "marked";
import { ERRORS, type Reason } from "../../src/core/errors.js";

/**
 * Reads error reasons as the docs write them: a gRPC status in UPPER_SNAKE followed by its
 * reasons, separated by `,`, `|`, `/`, "or", "and" ("UNAUTHENTICATED INVALID_SESSION |
 * INVALID_CREDENTIALS (wrong old password); INVALID_ARGUMENT WEAK_PASSWORD"). Parentheses are
 * remarks, skipped; any other word ends the status's list.
 */

/** gRPC status names as the docs spell them, to connect's `Code` names ("InvalidArgument"). */
export const STATUSES: ReadonlyMap<string, string> = new Map([
  ...Object.keys(Code)
    .filter((name) => Number.isNaN(Number(name)))
    .map((name) => [name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase(), name] as const),
  ["CANCELLED", "Canceled"],
]);

/** Looks like a reason: UPPER_SNAKE with at least one underscore (env variables do too). */
export const REASON_LIKE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;

export const isReason = (word: string): word is Reason => Object.hasOwn(ERRORS, word);

/** The status a reason is listed under in ERRORS, spelled as the docs spell it. */
export function statusOf(reason: Reason): string {
  return ERRORS[reason].status.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

export interface Mention {
  reason: Reason;
  /** The status written before it, if any. */
  status: string | undefined;
}

export interface Reading {
  mentions: Mention[];
  /** Reason-like words listed under a status that are not in ERRORS. */
  unknown: string[];
}

const SEPARATOR = /^(?:[,|/]|or|and)$/;

/** Every reason the text lists, with the status it is listed under. */
export function readReasons(text: string): Reading {
  let plain = text.replace(/[`*]/g, "");
  while (/\([^()]*\)/.test(plain)) plain = plain.replace(/\([^()]*\)/g, " ");
  const reading: Reading = { mentions: [], unknown: [] };
  let status: string | undefined;
  for (const [word] of plain.matchAll(/[A-Za-z][A-Za-z0-9_]*|[^\sA-Za-z0-9]/g)) {
    if (STATUSES.has(word)) status = word;
    else if (isReason(word)) reading.mentions.push({ reason: word, status });
    else if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(word) && status) reading.unknown.push(word);
    else if (!SEPARATOR.test(word)) status = undefined;
  }
  return reading;
}

/** A set of the reasons a text lists. */
export function reasonsIn(text: string): Set<Reason> {
  return new Set(readReasons(text).mentions.map((m) => m.reason));
}

export interface ServiceErrors {
  /** Fully qualified, e.g. userharbor.v1.AccountService. */
  service: string;
  file: string;
  /** The file header's "Errors every RPC can return". */
  everyRpc: Set<Reason>;
  /** Per RPC (proto name), the reasons its comment's "Errors:" clause lists. */
  rpcs: Map<string, Set<Reason>>;
}

/** The `//` comment lines as one text. */
const commentText = (lines: string) =>
  lines
    .split("\n")
    .map((line) => line.replace(/^\s*\/\/ ?/, ""))
    .join("\n");

/** The error documentation of every service in a .proto file. */
export function protoServiceErrors(file: string): ServiceErrors[] {
  const source = readFileSync(file, "utf8");
  const pkg = source.match(/^package ([\w.]+);/m)?.[1] ?? "";
  const header = source.slice(0, source.search(/^syntax /m));
  const lines = header.split("\n");
  const start = lines.findIndex((line) => line.includes("Errors every RPC can return"));
  const block: string[] = [];
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    if (!/^\/\/ {3,}\S/.test(line)) break;
    block.push(line);
  }
  const everyRpc = reasonsIn(commentText(block.join("\n")));
  const services: ServiceErrors[] = [];
  for (const [, name = "", body = ""] of source.matchAll(/^service (\w+) \{([\s\S]*?)^\}/gm)) {
    const rpcs = new Map<string, Set<Reason>>();
    for (const [, comment = "", rpc = ""] of body.matchAll(
      /((?:^[ \t]*\/\/.*\n)*)^[ \t]*rpc (\w+)\(/gm,
    )) {
      const clause = commentText(comment).split("Errors:")[1] ?? "";
      rpcs.set(rpc, reasonsIn(clause));
    }
    services.push({ service: `${pkg}.${name}`, file, everyRpc, rpcs });
  }
  return services;
}

/** Every comment of a .proto file, as one text. */
export function protoComments(file: string): string {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => /^\s*\/\//.test(line))
    .map((line) => line.replace(/^\s*\/\/ ?/, ""))
    .join("\n");
}

export const CONTRACT_HEADER = ["RPC", "does", "errors (status / ErrorInfo reason)"];

export interface ContractRow {
  rpc: string;
  /** The errors cell as written ("same" already replaced by the row above's). */
  errors: string;
}

/** The rows of every contract table (header CONTRACT_HEADER) of a Markdown file. */
export function contractRows(file: string): ContractRow[] {
  const rows: ContractRow[] = [];
  marked.walkTokens(marked.lexer(readFileSync(file, "utf8")), (token) => {
    if (token.type !== "table") return;
    const table = token as Tokens.Table;
    if (table.header.map((cell) => cell.text).join("|") !== CONTRACT_HEADER.join("|")) return;
    let previous = "";
    for (const [rpc, , errors] of table.rows) {
      const text = errors?.text.trim() === "same" ? previous : (errors?.text ?? "");
      rows.push({ rpc: rpc?.text.trim() ?? "", errors: text });
      previous = text;
    }
  });
  return rows;
}

/** The texts of a Markdown file a reason may sit in: paragraphs, headings, list items, table cells, code. */
export function markdownTexts(file: string): string[] {
  const texts: string[] = [];
  marked.walkTokens(marked.lexer(readFileSync(file, "utf8")), (token) => {
    if (token.type === "table") {
      const table = token as Tokens.Table;
      for (const cell of [...table.header, ...table.rows.flat()]) texts.push(cell.text);
    } else if (["paragraph", "heading", "list_item", "code"].includes(token.type)) {
      texts.push((token as Tokens.Paragraph).text);
    }
  });
  return texts;
}
