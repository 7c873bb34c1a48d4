import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  Health,
  HealthCheckResponse_ServingStatus,
} from "@userharbor/client/grpc/health/v1/health_pb.js";
import { ConfigError, listenerAddress } from "./config/index.js";

/**
 * `node dist/healthcheck.js`: the container HEALTHCHECK. Asks this server's own
 * grpc.health.v1.Health for the overall status; exit 0 only for SERVING. Reads
 * HOST/PORT/TLS through the config module, so it needs no extra config.
 */
let address: ReturnType<typeof listenerAddress>;
try {
  address = listenerAddress();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.log(`health: ${error.message}`);
  process.exit(1);
}
const host = address.host === "0.0.0.0" ? "127.0.0.1" : address.host;
const baseUrl = `${address.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${address.port}`;

const health = createClient(
  Health,
  // A self-check over loopback: the certificate is the server's own, so it is not verified here.
  createGrpcTransport({
    baseUrl,
    ...(address.tls && { nodeOptions: { rejectUnauthorized: false } }),
  }),
);
try {
  const { status } = await health.check({ service: "" }, { timeoutMs: 3_000 });
  console.log(`health: ${HealthCheckResponse_ServingStatus[status]}`);
  process.exit(status === HealthCheckResponse_ServingStatus.SERVING ? 0 : 1);
} catch (error) {
  console.log(`health: unreachable (${(error as Error).message})`);
  process.exit(1);
}
