import { existsSync, readFileSync } from "node:fs";
import type { WriteLogLine } from "../../../src/adapters/storage/mongodb/write-log.js";

/**
 * MONGODB_WRITE_LOG read back: which writes each transaction made and whether
 * its commit was acknowledged, and every delete ever sent, so a drill can tell
 * "our code never committed it", "we committed it and later deleted it" and
 * "we committed it, nobody deleted it, and it is gone" (the database lost it).
 */
export interface WriteLog {
  /** `_id`s inserted by transactions whose commitTransaction the server acknowledged, per collection. */
  committedInserts: Map<string, Set<string>>;
  /** `_id`s inserted outside any transaction (acknowledged), per collection. */
  plainInserts: Map<string, Set<string>>;
  /** `_id`s named by an acknowledged delete (in a committed transaction or outside one), per collection. */
  deletes: Map<string, Set<string>>;
  /** Transactions whose commit the server acknowledged / that ended any other way. */
  commits: number;
  uncommitted: number;
  lines: number;
}

const add = (map: Map<string, Set<string>>, coll: string, ids: string[]) => {
  const set = map.get(coll) ?? new Set<string>();
  for (const id of ids) set.add(id);
  map.set(coll, set);
};

export function readWriteLog(file: string): WriteLog {
  const lines = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as WriteLogLine)
    : [];
  const key = (l: WriteLogLine) => `${l.lsid}:${l.txn}`;
  const committed = new Set(lines.filter((l) => l.op === "commitTransaction" && l.ok).map(key));
  const ended = new Set(lines.filter((l) => l.op.endsWith("Transaction")).map(key));
  const log: WriteLog = {
    committedInserts: new Map(),
    plainInserts: new Map(),
    deletes: new Map(),
    commits: committed.size,
    uncommitted: [...ended].filter((k) => !committed.has(k)).length,
    lines: lines.length,
  };
  for (const l of lines) {
    if (!l.coll || !l.ids || !l.ok) continue;
    const landed = !l.tx || committed.has(key(l));
    if (l.op === "insert" && l.tx && landed) add(log.committedInserts, l.coll, l.ids);
    if (l.op === "insert" && !l.tx) add(log.plainInserts, l.coll, l.ids);
    if (l.op === "delete" && landed) add(log.deletes, l.coll, l.ids);
  }
  return log;
}

export const has = (map: Map<string, Set<string>>, coll: string, id: string) =>
  map.get(coll)?.has(id) ?? false;
