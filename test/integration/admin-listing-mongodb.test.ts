import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMongoStore } from "../../src/adapters/storage/mongodb/index.js";
import type { NewAccount } from "../../src/core/ports/account-store.js";
import type { MongoHandle } from "../support/mongo.js";
import { newAccount } from "../support/records.js";
import { mongoHarness } from "../support/stores.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const ACCOUNTS = 10_000;
const DISABLED_EVERY = 997;

/**
 * ListAccounts over 10,000 accounts on MongoDB: every account exactly once, in
 * id order, at the 1000-per-page cap, and the index that serves each query.
 */
describe("ListAccounts pages 10,000 accounts on MongoDB", () => {
  let t: TestServer;
  let made: NewAccount[];
  beforeAll(async () => {
    t = await startTestServer({ store: mongoHarness });
    // Through the store port in bulk: registration (with hashing) is not what is tested. A
    // second handle on the same database loads them without a transaction: jongodb's commits
    // slow down with the collection's size (a 500-account one takes seconds at 2,500 stored).
    const mongo = t.store.mongo as MongoHandle;
    const loader = await openMongoStore({
      uri: mongo.uri,
      dbName: mongo.dbName,
      transactions: "off",
      // On a busy machine one bulk insert can outlast the default reply timeout.
      timeoutMs: 120_000,
    });
    made = Array.from({ length: ACCOUNTS }, (_, i) =>
      newAccount({ disabled: i % DISABLED_EVERY === 0 }),
    );
    const started = performance.now();
    for (let i = 0; i < made.length; i += 1000) {
      await loader.accounts.createMany(made.slice(i, i + 1000));
    }
    await loader.close();
    console.log(
      `[admin-listing] ${ACCOUNTS} accounts inserted in ${Math.round(performance.now() - started)} ms`,
    );
  }, 240_000);
  afterAll(() => t?.close());

  const listAll = async (filter: { disabled?: boolean }) => {
    const ids: string[] = [];
    const sizes: number[] = [];
    let pageToken = "";
    do {
      const page = await t.admin("grpc").listAccounts({ pageSize: 5000, pageToken, ...filter });
      sizes.push(page.accounts.length);
      ids.push(...page.accounts.map((a) => a.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return { ids, sizes };
  };

  it("returns every account once, in id order, 1000 to a page", async () => {
    const { ids, sizes } = await listAll({});
    expect(sizes).toEqual(Array(10).fill(1000));
    expect(ids).toEqual(made.map((a) => a.id).sort());
  }, 120_000);

  it("lists the disabled ones alone", async () => {
    const { ids } = await listAll({ disabled: true });
    const disabled = made.filter((a) => a.disabled).map((a) => a.id);
    expect(disabled).toHaveLength(Math.ceil(ACCOUNTS / DISABLED_EVERY));
    expect(ids).toEqual(disabled.sort());
  }, 60_000);

  it("has the index that serves listing disabled accounts in id order", async () => {
    const db = await t.store.mongo?.db();
    const indexes = await db?.collection("accounts").listIndexes().toArray();
    const keys = (indexes ?? []).map((index) => JSON.stringify(index.key));
    // `_id_` serves the plain listing's order; {disabled, _id} the disabled filter's.
    expect(keys).toEqual(expect.arrayContaining(['{"_id":1}', '{"disabled":1,"_id":1}']));
  });
});
