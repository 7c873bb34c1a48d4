import { createHash } from "node:crypto";
import { entryList, entryNameProblem } from "../config/values.js";

/**
 * What an API key may do. `accounts`: call AccountService. `client-ip`: have
 * `ClientContext.ip` believed (otherwise the connection's address counts for
 * per-IP limits). `admin`: the operators' AdminService. `events`: read the
 * account event log (AccountEventsService).
 */
export const SCOPES = ["accounts", "client-ip", "admin", "events"] as const;
export type Scope = (typeof SCOPES)[number];

/** One configured caller. Only the key's SHA-256 is kept; the name is what logs show. */
export interface ApiKey {
  name: string;
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
}

// RFC 6750 b64token characters: never ';', ':' or ',', so entries split without ambiguity.
const RAW_KEY = /^[A-Za-z0-9._~+/-]+=*$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/i;
const RAW_KEY_MIN = 24;

export const API_KEYS_SYNTAX =
  "name=key:scope[,scope...] entries separated by ';' (scopes: accounts, client-ip, admin, events)";

/**
 * `API_KEYS`, e.g. `web=KEY1:accounts,client-ip;ops=sha256:<hex>:admin`. The
 * older bare-key list is refused rather than guessed at: a bare key would have
 * to be granted every scope, admin included. Messages never quote a key.
 */
export const apiKeysSchema = entryList(parseEntry, repeated);

function repeated(key: ApiKey, earlier: readonly ApiKey[]): string | undefined {
  if (earlier.some((k) => k.name === key.name)) return `name "${key.name}" is used twice`;
  if (earlier.some((k) => k.digest.equals(key.digest)))
    return `${key.name} repeats another entry's key`;
  return undefined;
}

function parseEntry(entry: string): ApiKey | string {
  const equals = entry.indexOf("=");
  const colon = entry.lastIndexOf(":");
  if (equals < 1 || colon < equals) {
    return `must be ${API_KEYS_SYNTAX}; bare keys without a name and scopes are no longer accepted`;
  }
  const name = entry.slice(0, equals).trim();
  const key = entry.slice(equals + 1, colon).trim();
  const scopeList = entry
    .slice(colon + 1)
    .split(",")
    .map((s) => s.trim());
  const badName = entryNameProblem(name);
  if (badName) return `${badName} (it appears in audit logs)`;
  if (scopeList.every((s) => s === "")) return `${name} needs at least one scope`;
  const unknown = scopeList.find((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown !== undefined) {
    // Quoted only when it looks like a mistyped scope: a misplaced ':' could put a key here.
    const shown = /^[a-z-]{1,16}$/.test(unknown) ? ` "${unknown}"` : "";
    return `${name} has an unknown scope${shown} (scopes: ${SCOPES.join(", ")})`;
  }
  if (DIGEST.test(key)) {
    return {
      name,
      digest: Buffer.from(key.slice(7), "hex"),
      scopes: new Set(scopeList as Scope[]),
    };
  }
  if (!RAW_KEY.test(key) || key.length < RAW_KEY_MIN) {
    return `${name} needs a key of at least ${RAW_KEY_MIN} characters of A-Z a-z 0-9 . _ ~ + / - (or sha256:<64 hex digits>)`;
  }
  return { name, digest: keyDigest(key), scopes: new Set(scopeList as Scope[]) };
}

/** How a presented key is compared: its SHA-256, the form config keeps. */
export function keyDigest(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}
