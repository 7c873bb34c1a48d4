import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  Health,
  HealthCheckResponse_ServingStatus,
} from "@userharbor/client/grpc/health/v1/health_pb.js";

/**
 * `node dist/healthcheck.js`: the container HEALTHCHECK. Asks this server's own
 * grpc.health.v1.Health for the overall status; exit 0 only for SERVING. Uses
 * the same HOST/PORT/TLS variables as the server, so it needs no extra config.
 */
const host = !process.env.HOST || process.env.HOST === "0.0.0.0" ? "127.0.0.1" : process.env.HOST;
const port = process.env.PORT || "50051";
const tls = Boolean(process.env.TLS_CERT_FILE);
const baseUrl = `${tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;

const health = createClient(
  Health,
  // A self-check over loopback: the certificate is the server's own, so it is not verified here.
  createGrpcTransport({ baseUrl, ...(tls && { nodeOptions: { rejectUnauthorized: false } }) }),
);
try {
  const { status } = await health.check({ service: "" }, { timeoutMs: 3_000 });
  console.log(`health: ${HealthCheckResponse_ServingStatus[status]}`);
  process.exit(status === HealthCheckResponse_ServingStatus.SERVING ? 0 : 1);
} catch (error) {
  console.log(`health: unreachable (${(error as Error).message})`);
  process.exit(1);
}
