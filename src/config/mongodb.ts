import { z } from "zod";
import { duration } from "./values.js";

/** The MongoDB store (unset MONGODB_URI: accounts live in memory). */
export const MONGODB = z.object({
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// or mongodb+srv:// URI")
    .optional()
    .meta({
      description:
        "Store accounts in MongoDB (a replica set: transactions). Unset: in-memory store.",
      secret: true,
    }),
  MONGODB_DB: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Database name (default: the URI's path, else userharbor)." }),
  MONGODB_TRANSACTIONS: z.enum(["required", "off"]).default("required").meta({
    description:
      "off: accept a standalone mongod, giving up atomic multi-record changes (see docs/mongodb.md).",
  }),
  MONGODB_WRITE_LOG: z.string().min(1).optional().meta({
    description:
      "Diagnostics: append one JSON line per MongoDB write and per transaction commit or abort (collection, _ids, session, outcome; never field values) to this file. The crash drill reads it.",
  }),
  MONGODB_TIMEOUT: duration.prefault("2s").meta({
    description:
      "How long an operation waits for MongoDB before the RPC fails with UNAVAILABLE / STORE_UNAVAILABLE.",
  }),
});
