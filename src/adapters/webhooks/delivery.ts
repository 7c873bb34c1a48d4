import { createHmac } from "node:crypto";
import type { AccountEvent } from "../../core/domain/account-event.js";
import type { WebhookEndpoint } from "./endpoint-config.js";

/**
 * One webhook request as the Standard Webhooks specification defines it:
 * `webhook-id` (the event id: the same on every retry, so receivers
 * de-duplicate by it), `webhook-timestamp` (this attempt, in seconds), and
 * `webhook-signature`: "v1," + base64 HMAC-SHA256 over "id.timestamp.body"
 * keyed with the endpoint's whsec_ secret.
 */
export function webhookRequest(
  endpoint: WebhookEndpoint,
  event: AccountEvent & { cursor: string },
  now: Date,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    type: event.type,
    timestamp: event.time.toISOString(),
    data: {
      id: event.id,
      account_id: event.accountId,
      username: event.username,
      email: event.email,
      cursor: event.cursor,
    },
  });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const mac = createHmac("sha256", endpoint.key)
    .update(`${event.id}.${timestamp}.${body}`)
    .digest("base64");
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "UserHarbor-Webhooks/1",
      "webhook-id": event.id,
      "webhook-timestamp": timestamp,
      "webhook-signature": `v1,${mac}`,
    },
  };
}

/** What became of one attempt: delivered (2xx), or why not (a status code or an error name, never a body). */
export type Attempt = { ok: true } | { ok: false; error: string };

/** Posts one request; any answer but 2xx within `timeoutMs` is a failure worth retrying. */
export async function postWebhook(
  url: string,
  request: { body: string; headers: Record<string, string> },
  timeoutMs: number,
): Promise<Attempt> {
  try {
    const response = await fetch(url, {
      method: "POST",
      body: request.body,
      headers: request.headers,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => {});
    return response.status >= 200 && response.status < 300
      ? { ok: true }
      : { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    return { ok: false, error: typeof code === "string" ? `${name} ${code}` : name };
  }
}
