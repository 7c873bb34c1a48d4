import { phase, raw, versusNoop } from "../figures.js";
import { checkThenVerify } from "../measure.js";
import { startMongo, startUserHarbor } from "../processes.js";
import { plan } from "../settings.js";

/** VerifySession ÷ no-op with the MongoDB store (MONGODB_URI, else the jongodb emulator). */
export async function mongodbGroup(): Promise<void> {
  const mongo = await startMongo();
  const backend =
    mongo.backend === "jongodb" ? "jongodb emulator, not a real mongod" : "MONGODB_URI";
  phase(`MongoDB store: ${backend}, LOG_LEVEL=warn`);
  raw.mongoBackend = mongo.backend;
  try {
    const server = await startUserHarbor(
      "mongodb",
      { MONGODB_URI: mongo.uri, MONGODB_DB: `uh_bench_${process.pid}` },
      plan.seedSessions,
    );
    try {
      const p = await checkThenVerify(server, ", MongoDB");
      raw.mongodb = p.reports;
      versusNoop(
        "verify_vs_noop_mongodb",
        `VerifySession ÷ no-op, MongoDB store (${mongo.backend})`,
        p,
        0.6,
        backend,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await mongo.stop();
  }
}
