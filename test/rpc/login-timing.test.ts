import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/rpc-errors.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "timing correct horse battery";
const client = { ip: "192.0.2.8", userAgent: "timing-test" };
const ROUNDS = 21;

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * An unknown username must cost the same hashing work as a known one, or the
 * answer time enumerates accounts. Production argon2 parameters, so hashing
 * dominates. Calls alternate, and each unknown-user call is compared with the
 * known-user call right before it: the median of those paired ratios cancels
 * the load other suites put on the machine at that moment, which the ratio of
 * two overall medians does not.
 */
describe("login timing does not reveal whether an account exists", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { ARGON2_MEMORY_KIB: "19456", ARGON2_TIME_COST: "2" } });
    await t
      .client("grpc")
      .register({ username: "timed", email: "timed@example.com", password: PASSWORD, client });
  });
  afterAll(() => t?.close());

  it("median time for an unknown user is within 0.75x-1.33x of a known user's wrong password", async () => {
    const api = t.client("grpc");
    const time = async (username: string) => {
      const start = performance.now();
      await failureOf(api.login({ username, password: "not the right password", client }));
      return performance.now() - start;
    };
    await time("timed"); // warm-up (the decoy hash is made on first use)
    await time("ghost-0");
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      known.push(await time("timed"));
      unknown.push(await time(`ghost-${i}`));
    }
    const ratio = median(unknown.map((u, i) => u / (known[i] ?? Number.NaN)));
    expect(median(known)).toBeGreaterThan(10); // hashing really happened
    expect(ratio).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.33);
  });
});
