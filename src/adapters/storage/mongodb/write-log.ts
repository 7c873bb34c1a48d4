import { createHash } from "node:crypto";
import { appendFileSync } from "node:fs";
import type {
  CommandFailedEvent,
  CommandStartedEvent,
  CommandSucceededEvent,
  Document,
  MongoClient,
} from "mongodb";

/**
 * MONGODB_WRITE_LOG: one JSON line per write command and per transaction end,
 * written when the server's reply arrives and before the caller sees it, so a
 * line exists for every commit an RPC could have acknowledged, even if the
 * process is killed right after (appendFileSync: in the OS's hands at once).
 * Lines name collections, `_id`s and the session/transaction, never field
 * values; email claim keys (addresses) are logged as a short hash.
 *
 *   {"op":"insert","coll":"accounts","ids":["…"],"lsid":"…","txn":3,"tx":true,"ok":true,"n":1}
 *   {"op":"commitTransaction","lsid":"…","txn":3,"ok":true}
 */
export interface WriteLogLine {
  t: number;
  /** This process, so lines of a server and of its restart can be told apart. */
  pid: number;
  op: string;
  coll?: string;
  ids?: string[];
  lsid?: string;
  txn?: number;
  /** Part of a multi-document transaction (lands only if its commit does). */
  tx?: boolean;
  ok: boolean;
  n?: number;
  code?: number;
}

const WRITES = new Set(["insert", "update", "delete"]);
const ENDS = new Set(["committransaction", "aborttransaction"]);

/** The `_id` a write names: a document's, or an equality filter's. */
function idsOf(op: string, command: Document): string[] {
  const items: Document[] =
    op === "insert" ? command.documents : op === "update" ? command.updates : command.deletes;
  return (items ?? []).flatMap((item) => {
    const id = op === "insert" ? item._id : item.q?._id;
    return typeof id === "string" ? [id] : [];
  });
}

const redact = (coll: string, id: string) =>
  coll === "email_claims" ? `h:${createHash("sha256").update(id).digest("hex").slice(0, 16)}` : id;

export function recordWrites(client: MongoClient, file: string): void {
  const started = new Map<number, Omit<WriteLogLine, "t" | "ok">>();
  client.on("commandStarted", (event: CommandStartedEvent) => {
    const name = event.commandName.toLowerCase();
    if (!WRITES.has(name) && !ENDS.has(name)) return;
    const c = event.command;
    const coll = WRITES.has(name) ? String(c[event.commandName]) : undefined;
    started.set(event.requestId, {
      pid: process.pid,
      op: event.commandName,
      ...(coll && { coll, ids: idsOf(name, c).map((id) => redact(coll, id)) }),
      ...(c.lsid?.id && { lsid: Buffer.from(c.lsid.id.buffer).toString("hex") }),
      ...(c.txnNumber !== undefined && { txn: Number(c.txnNumber) }),
      ...(c.autocommit === false && { tx: true }),
    });
  });
  const end = (event: CommandSucceededEvent | CommandFailedEvent, ok: boolean) => {
    const line = started.get(event.requestId);
    if (!line) return;
    started.delete(event.requestId);
    const reply = "reply" in event ? (event.reply as Document) : undefined;
    // A reply can be ok:1 and still carry write errors (a duplicate key): count those as failed.
    const failed = !ok || reply?.ok !== 1 || (reply?.writeErrors?.length ?? 0) > 0;
    const code = "failure" in event ? (event.failure as { code?: number }).code : reply?.code;
    const record: WriteLogLine = {
      t: Date.now(),
      ...line,
      ok: !failed,
      ...(typeof reply?.n === "number" && { n: reply.n }),
      ...(typeof code === "number" && { code }),
    };
    appendFileSync(file, `${JSON.stringify(record)}\n`);
  };
  client.on("commandSucceeded", (event) => end(event, true));
  client.on("commandFailed", (event) => end(event, false));
}
