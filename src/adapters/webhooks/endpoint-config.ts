import { entryList, entryNameProblem } from "../../config/values.js";
import { type AccountEventType, isAccountEventType } from "../../core/domain/account-event.js";

/** One configured webhook endpoint. */
export interface WebhookEndpoint {
  /** Appears in logs and metrics, and keys the endpoint's place in the log. */
  name: string;
  url: string;
  /** The Standard Webhooks signing key: the bytes after `whsec_`, base64-decoded. */
  key: Buffer;
  /** Only these types (empty: every type). */
  types: AccountEventType[];
}

export const WEBHOOKS_SYNTAX =
  "name=url|whsec_secret[|type,type...] entries separated by ';' (types as AccountEvent.type; none: every type)";

const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/**
 * `WEBHOOKS`, e.g. `crm=https://crm.example.com/hooks|whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw|account.deleted,account.email_changed`.
 * Messages never quote a secret.
 */
export const webhooksSchema = entryList(parseEntry, (endpoint, earlier) =>
  earlier.some((e) => e.name === endpoint.name)
    ? `name "${endpoint.name}" is used twice`
    : undefined,
);

function parseEntry(entry: string): WebhookEndpoint | string {
  const equals = entry.indexOf("=");
  const [url = "", secret = "", typeList, ...extra] = entry.slice(equals + 1).split("|");
  if (equals < 1 || extra.length > 0 || secret === "") return `must be ${WEBHOOKS_SYNTAX}`;
  const name = entry.slice(0, equals).trim();
  const badName = entryNameProblem(name);
  if (badName) return badName;
  if (!URL.canParse(url.trim()) || !/^https?:$/.test(new URL(url.trim()).protocol)) {
    return `${name} needs an http(s) URL`;
  }
  const key = SECRET.exec(secret.trim())?.[1];
  const bytes = key ? Buffer.from(key, "base64") : Buffer.alloc(0);
  if (bytes.length < 24 || bytes.length > 64) {
    return `${name} needs a secret whsec_<base64 of 24 to 64 random bytes>`;
  }
  const types = (typeList ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = types.find((t) => !isAccountEventType(t));
  if (unknown !== undefined) return `${name} has an unknown event type "${unknown.slice(0, 40)}"`;
  return { name, url: url.trim(), key: bytes, types: types as AccountEventType[] };
}
