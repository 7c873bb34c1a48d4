import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MongoHandle, startJongodb, startMongo } from "../support/mongo.js";
import { freePort, run } from "../support/processes.js";

/** `npm start` as an operator runs it: config from the environment, one line per problem. */
const start = (env: Record<string, string>) =>
  run("node", ["--import", "tsx", "src/server.ts"], {
    LOG_LEVEL: "info",
    METRICS_ENABLED: "false",
    ...env,
  });
/** MONGODB_URI needs a SECRET_KEY beside it. */
const SECRET_KEY = "startup-test-secret-key-0123456789abcdef";

async function exitOf(env: Record<string, string>) {
  const process = start({ PORT: String(await freePort()), ...env });
  const code = await new Promise<number | null>((resolve) => process.child.once("exit", resolve));
  return { code, output: process.output().trim() };
}

describe("start-up", () => {
  it.each([
    [{ PORT: "not-a-port" }, "config: PORT"],
    [{ SESSION_TTL: "forever" }, "config: SESSION_TTL"],
    [{ NODE_ENV: "production" }, "config: SECRET_KEY"],
    [{ MONGODB_URI: "postgres://x" }, "config: MONGODB_URI"],
    // A persistent store outlives the process: a per-start random key would orphan its
    // sessions, links and queued mail at the next start, so there is no such default.
    [
      { MONGODB_URI: "mongodb://127.0.0.1:1/uh" },
      "config: SECRET_KEY is required with MONGODB_URI",
    ],
  ])("refuses bad config %j with one line naming the variable, no stack trace", async (env, line) => {
    const { code, output } = await exitOf(env);
    expect(code).toBe(78);
    expect(output.split("\n")).toEqual([expect.stringContaining(line)]);
    expect(output).not.toMatch(/\bat \S+ \(|\.ts:\d+/);
  });

  describe("with MongoDB", () => {
    let replicaSet: MongoHandle;
    let standalone: MongoHandle;
    beforeAll(async () => {
      [replicaSet, standalone] = await Promise.all([
        startMongo(),
        startJongodb({ standalone: true }),
      ]);
    });
    afterAll(async () => {
      await replicaSet?.stop();
      await standalone?.stop();
    });

    it("stores accounts in MongoDB when MONGODB_URI is set", async () => {
      const server = start({
        PORT: String(await freePort()),
        MONGODB_URI: replicaSet.uri,
        MONGODB_DB: replicaSet.dbName,
        SECRET_KEY,
      });
      try {
        const [line] = await server.waitFor(/\{[^\n]*UserHarbor listening[^\n]*\}/);
        expect(JSON.parse(line)).toMatchObject({ store: "mongodb", mail: "dev-mailbox" });
        expect(line).not.toContain(replicaSet.uri); // the URI may hold credentials
      } finally {
        await server.stop();
      }
    });

    it("refuses a standalone server with one clear line, and accepts it with MONGODB_TRANSACTIONS=off", async () => {
      const refused = await exitOf({
        MONGODB_URI: standalone.uri,
        MONGODB_DB: standalone.dbName,
        SECRET_KEY,
      });
      expect(refused.code).toBe(1);
      const lines = refused.output.split("\n").filter((l) => l.includes("cannot start"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("standalone server, which cannot run multi-document transactions");
      expect(lines[0]).toContain("replica set");

      const server = start({
        PORT: String(await freePort()),
        MONGODB_URI: standalone.uri,
        MONGODB_DB: standalone.dbName,
        MONGODB_TRANSACTIONS: "off",
        SECRET_KEY,
      });
      try {
        await server.waitFor(/UserHarbor listening/);
      } finally {
        await server.stop();
      }
    });
  });
});
