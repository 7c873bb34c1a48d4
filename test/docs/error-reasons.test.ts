import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import { AccountService } from "@userharbor/client";
import { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT } from "../../src/config/index.js";
import { ERRORS, type Reason } from "../../src/core/errors.js";
import {
  contractRows,
  isReason,
  markdownTexts,
  protoComments,
  protoServiceErrors,
  REASON_LIKE,
  readReasons,
  reasonsIn,
  STATUSES,
  statusOf,
} from "../support/error-docs.js";
import { ADMIN_RPC_REASONS, ANY_RPC, RPC_REASONS } from "../support/rpc-driver.js";

/**
 * The error reasons the docs list agree with the one error table, src/core/errors.ts: the
 * proto comments (what the generated SDKs show), the README's contract tables, the other docs,
 * and the tables the RPC suites judge answers by (test/support/rpc-driver.ts).
 */

const PROTO_DIR = "proto/userharbor/v1";
const PROTOS = readdirSync(PROTO_DIR)
  .filter((name) => name.endsWith(".proto"))
  .map((name) => join(PROTO_DIR, name));
const SERVICES = PROTOS.flatMap(protoServiceErrors);
const README = "README.md";
const DOCS = [README, "SECURITY.md", ...readdirSync("docs").map((name) => join("docs", name))];
const sorted = (reasons: Iterable<string>) => [...reasons].sort();
const without = (reasons: Iterable<Reason>, drop: ReadonlySet<Reason>) =>
  sorted([...reasons].filter((r) => !drop.has(r)));

/** The RPC suites' tables of what each RPC may answer, by service. */
const TEST_TABLES: { service: DescService; reasons: Record<string, readonly Reason[]> }[] = [
  { service: AccountService, reasons: RPC_REASONS },
  { service: AdminService, reasons: ADMIN_RPC_REASONS },
];

/** Reasons the source raises or compares against: what an RPC can answer. */
function reasonsInSource(dir: string): Map<Reason, string[]> {
  const found = new Map<Reason, string[]>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !path.endsWith(".ts") || path === join("src", "core", "errors.ts")) {
      continue;
    }
    for (const [, word = ""] of readFileSync(path, "utf8").matchAll(/"([A-Z][A-Z0-9_]+)"/g)) {
      if (isReason(word)) found.set(word, [...(found.get(word) ?? []), path]);
    }
  }
  return found;
}

describe("the reason reader", () => {
  it("pairs each reason with the status written before it, across lists and remarks", () => {
    const { mentions, unknown } = readReasons(
      "Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS (wrong; old password); " +
        "INVALID_ARGUMENT `WEAK_PASSWORD`, INVALID_SESSION_X or INVALID_EMAIL. INVALID_TOKEN if bad",
    );
    expect(mentions).toEqual([
      { reason: "INVALID_SESSION", status: "UNAUTHENTICATED" },
      { reason: "INVALID_CREDENTIALS", status: "UNAUTHENTICATED" },
      { reason: "WEAK_PASSWORD", status: "INVALID_ARGUMENT" },
      { reason: "INVALID_EMAIL", status: "INVALID_ARGUMENT" },
      { reason: "INVALID_TOKEN", status: undefined },
    ]);
    expect(unknown).toEqual(["INVALID_SESSION_X"]);
  });

  it("finds every service and RPC of the protos", () => {
    expect(SERVICES.map((s) => s.service)).toEqual(
      expect.arrayContaining([AccountService.typeName, AdminService.typeName]),
    );
    for (const { service } of TEST_TABLES) {
      const documented = SERVICES.find((s) => s.service === service.typeName);
      expect(sorted(documented?.rpcs.keys() ?? [])).toEqual(
        sorted(service.methods.map((m) => m.name)),
      );
    }
  });
});

describe("error reasons in the docs agree with src/core/errors.ts", () => {
  it("the proto comments name only reasons in ERRORS, each under its status", () => {
    const known = new Set([...STATUSES.keys(), ...Object.keys(ENVIRONMENT.shape), "UPPER_SNAKE"]);
    for (const file of PROTOS) {
      const comments = protoComments(file);
      const strangers = [...comments.matchAll(REASON_LIKE)]
        .map(([word]) => word)
        .filter((word) => !known.has(word) && !isReason(word));
      expect(strangers, `${file}: words that look like reasons but are not in ERRORS`).toEqual([]);
      for (const { reason, status } of readReasons(comments).mentions) {
        if (status) expect(status, `${file}: ${reason} is listed under`).toBe(statusOf(reason));
      }
    }
  });

  it.each(DOCS)("%s lists reasons only under the status ERRORS gives them", (file) => {
    for (const text of markdownTexts(file)) {
      const { mentions, unknown } = readReasons(text);
      expect(unknown, `${file}: not in ERRORS, in "${text.slice(0, 120)}"`).toEqual([]);
      for (const { reason, status } of mentions) {
        if (status) expect(status, `${file}: ${reason} is listed under`).toBe(statusOf(reason));
      }
    }
  });

  it("every reason the source can answer is listed in a proto comment", () => {
    const listed = new Set(
      SERVICES.flatMap((s) => [...s.everyRpc, ...[...s.rpcs.values()].flatMap((r) => [...r])]),
    );
    const missing = [...reasonsInSource("src")]
      .filter(([reason]) => !listed.has(reason))
      .map(([reason, files]) => `${reason} (raised in ${files.join(", ")})`);
    expect(missing, "reasons an RPC can answer that no proto comment lists").toEqual([]);
  });

  it("every reason ERRORS holds is raised somewhere, or named here as never answered", () => {
    // REQUEST_TOO_LARGE: the transport refuses an over-size request before any code of ours
    // runs, so no ErrorInfo carries it (README: "refused by the transport ... no ErrorInfo").
    const NEVER_ANSWERED = new Set(["REQUEST_TOO_LARGE"]);
    const raised = reasonsInSource("src");
    const idle = Object.keys(ERRORS).filter((r) => !raised.has(r as Reason));
    expect(sorted(idle), "ERRORS entries no code raises").toEqual(sorted(NEVER_ANSWERED));
  });
});

describe("per RPC, the proto, the README contract tables and the test tables agree", () => {
  const rows = contractRows(README);

  it("the README's contract tables name only RPCs of the protos, each once, and only reasons", () => {
    const rpcs = SERVICES.flatMap((s) => [...s.rpcs.keys()]);
    expect(sorted(rows.map((r) => r.rpc)), "README contract rows vs proto RPCs").toEqual(
      sorted(rpcs),
    );
    for (const { rpc, errors } of rows) {
      const strangers = [...errors.matchAll(REASON_LIKE)]
        .map(([word]) => word)
        .filter((word) => !STATUSES.has(word) && !isReason(word));
      expect(strangers, `README, ${rpc}: not in ERRORS`).toEqual([]);
    }
  });

  it.each(
    SERVICES.flatMap((s) => [...s.rpcs].map(([rpc, reasons]) => ({ s, rpc, reasons }))),
  )("$s.service $rpc: the README row lists what the proto comment lists", ({ s, rpc, reasons }) => {
    const row = rows.find((r) => r.rpc === rpc);
    expect(row, `README contract table has no row for ${rpc}`).toBeDefined();
    // Reasons every RPC of the service can answer may be repeated in a row, or left out.
    expect(without(reasonsIn(row?.errors ?? ""), s.everyRpc), `README row ${rpc}`).toEqual(
      without(reasons, s.everyRpc),
    );
  });

  it.each(
    SERVICES,
  )("$service: the README's contract section names every reason each RPC can answer", (s) => {
    const readme = readFileSync(README, "utf8");
    const section = readme.split(/^## The contract$/m)[1]?.split(/^## /m)[0] ?? "";
    const named = reasonsIn(section.replace(/^\|.*\|$/gm, ""));
    expect(
      sorted([...s.everyRpc].filter((r) => !named.has(r))),
      `${s.service}: not in README`,
    ).toEqual([]);
  });

  it.each(TEST_TABLES)("$service.typeName: the RPC suites expect what the proto lists", ({
    service,
    reasons,
  }) => {
    const documented = SERVICES.find((s) => s.service === service.typeName);
    expect(documented, `${service.typeName} is in no proto`).toBeDefined();
    const every = documented?.everyRpc ?? new Set<Reason>();
    for (const method of service.methods) {
      expect(without(reasons[method.localName] ?? [], every), `test table ${method.name}`).toEqual(
        without(documented?.rpcs.get(method.name) ?? [], every),
      );
    }
    if (service === AccountService) {
      expect(
        sorted(ANY_RPC.filter((r) => !every.has(r))),
        "ANY_RPC beyond every-RPC reasons",
      ).toEqual([]);
    }
  });
});
