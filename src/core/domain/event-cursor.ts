/**
 * Event cursors: where a reader is in the account-event log, as an opaque
 * string. A cursor names the log (its random id, so a cursor from another or
 * a reset log is told apart) and a sequence number. It is validated, not
 * signed: a made-up cursor can only read what the caller's `events` scope
 * reads anyway, and an unsigned one survives a SECRET_KEY rotation, which
 * matters for a value backends keep in their own databases for days.
 */

const VERSION = 1;
/** Version byte, 8-byte log id, 8-byte sequence. */
const BYTES = 17;

export interface EventCursor {
  /** 16 lower-case hex digits. */
  logId: string;
  sequence: number;
}

export function encodeCursor(cursor: EventCursor): string {
  const bytes = Buffer.alloc(BYTES);
  bytes[0] = VERSION;
  bytes.write(cursor.logId, 1, "hex");
  bytes.writeBigUInt64BE(BigInt(cursor.sequence), 9);
  return bytes.toString("base64url");
}

/** The cursor `text` spells, or null when it is not one this service issues. */
export function decodeCursor(text: string): EventCursor | null {
  if (text.length > 32) return null;
  const bytes = Buffer.from(text, "base64url");
  // base64url decoding is lenient: only the canonical spelling is accepted.
  if (bytes.length !== BYTES || bytes[0] !== VERSION || bytes.toString("base64url") !== text) {
    return null;
  }
  const sequence = bytes.readBigUInt64BE(9);
  if (sequence < 1n || sequence > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return { logId: bytes.toString("hex", 1, 9), sequence: Number(sequence) };
}
