import { z } from "zod";
import { duration, flag, integer } from "./values.js";

/** Logs, metrics and the health check's store ping. */
export const OBSERVABILITY = z.object({
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .meta({ description: "pino log level." }),
  METRICS_PORT: integer(0, 65_535).prefault("9090").meta({
    description: "Port of the Prometheus endpoint (GET /metrics), apart from the RPC port.",
  }),
  METRICS_ENABLED: flag.prefault("true").meta({ description: "Serve /metrics at all." }),
  HEALTH_CHECK_INTERVAL: duration
    .prefault("2s")
    .meta({ description: "How often the store is pinged for the health status." }),
});
