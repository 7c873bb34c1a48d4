import { z } from "zod";
import { webhooksSchema } from "../adapters/webhooks/endpoint-config.js";
import { duration, flag } from "./values.js";

/** The account-event log (AccountEventsService) and the webhooks it is pushed to. */
export const EVENTS = z.object({
  EVENT_RETENTION: duration.prefault("7d").meta({
    description:
      "How long account events are kept (a TTL index on MongoDB, the sweep in memory); a cursor older than this gets OUT_OF_RANGE / CURSOR_EXPIRED.",
  }),
  WEBHOOKS: webhooksSchema.optional().meta({
    description:
      "Endpoints the account events are pushed to (Standard Webhooks): `name=https://url|whsec_<base64 secret>[|type,type]` entries separated by `;`; no types = every type.",
    secret: true,
  }),
  WEBHOOK_REQUIRE_HTTPS: flag.prefault("true").meta({
    description:
      "Refuse webhook URLs that are not https:// (false only for local receivers in development; refused in production).",
  }),
  WEBHOOK_TIMEOUT: duration
    .prefault("10s")
    .meta({ description: "How long one webhook delivery waits for a 2xx answer." }),
  WEBHOOK_RETRY_BACKOFF: duration.prefault("5s").meta({
    description:
      "First webhook retry delay; doubles per failed attempt up to 5m, each shortened by a random 0-50%.",
  }),
  WEBHOOK_RETRY_FOR: duration.prefault("24h").meta({
    description:
      "An event not delivered this long after it committed is given up (a log line and userharbor_webhook_deliveries_total{outcome=gave_up}); below EVENT_RETENTION.",
  }),
});
