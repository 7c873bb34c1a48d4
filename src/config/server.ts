import { z } from "zod";
import { duration, flag, integer } from "./values.js";

/** The process and its listener: mode, address, the server-wide key, request size, shutdown. */
export const SERVER = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development").meta({
    description: "production requires SECRET_KEY, API_KEYS and SMTP, and refuses DEV_MAILBOX_FILE.",
  }),
  HOST: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .meta({ description: "Listen address (0.0.0.0 in the container)." }),
  PORT: integer(0, 65_535)
    .prefault("50051")
    .meta({ description: "Port for gRPC, gRPC-Web and Connect (HTTP/2 and HTTP/1.1)." }),
  SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional().meta({
    description:
      "Keys token hashes, mail encryption and the session assertion signing keys. Required in production and whenever MONGODB_URI is set (a random key per start would orphan stored sessions, links and queued mail); in development with the memory store a random one is made per start.",
    secret: true,
  }),
  REQUEST_MAX_BYTES: integer(1_024, 64 * 1_048_576)
    .prefault(String(4 * 1_048_576))
    .meta({ description: "Largest accepted request message; larger ones get RESOURCE_EXHAUSTED." }),
  GRPC_FAST_PATH: flag.prefault("true").meta({
    description:
      "Serve gRPC unary calls straight from HTTP/2 streams (same services, interceptors and errors as the Connect path); false sends them through connect-node too.",
  }),
  SHUTDOWN_TIMEOUT: duration
    .prefault("10s")
    .meta({ description: "How long SIGTERM waits for in-flight RPCs." }),
});
