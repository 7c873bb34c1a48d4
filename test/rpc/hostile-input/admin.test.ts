import { create } from "@bufbuild/protobuf";
import { type Timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Huge, hostile, hugeText } from "../../support/hostile-strings.js";
import { logLeaks } from "../../support/log-leaks.js";
import {
  ADMIN_ID_RPCS,
  ADMIN_RPC_REASONS,
  RpcDriver,
  ServiceDriver,
  WIRES,
  type Wire,
} from "../../support/rpc-driver.js";
import { startTestServer, type TestServer } from "../../support/test-server.js";
import { type Mutation, mutate, mutation } from "./arbitraries.js";
import {
  accountWithSession,
  checkStore,
  onWire,
  params,
  REQUEST_MAX_BYTES,
  uid,
  verdict,
} from "./harness.js";

/**
 * Hostile input for AdminService: ids of every shape (hostile text, huge, damaged
 * real ids, other UUIDs), page tokens (forged, damaged, replayed with other
 * filters), filters (timestamps out of range) and page sizes over the whole
 * int32 range, on Connect binary, Connect JSON and gRPC. ServiceDriver checks
 * every answer against the error contract (no INTERNAL, ErrorInfo with a reason
 * the RPC documents); the property checks the verdict each input must get, and
 * that every call the handler saw wrote exactly one audit line.
 */

const ID_RPCS = ADMIN_ID_RPCS;
type IdRpc = (typeof ID_RPCS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let t: TestServer;
let accounts: RpcDriver;
let admin: ServiceDriver<typeof AdminService>;
/** The world: live accounts (by id, lower case) and a real page token issued without filters. */
let world: { ids: string[]; names: string[]; pageToken: string };

async function buildWorld() {
  const p = `adm${uid()}`;
  const made = [];
  for (const n of [1, 2, 3]) {
    const password = `admin ${p} ✓ horse ${n}`;
    accounts.secrets.passwords.add(password);
    const a = await accountWithSession(accounts, `${p}${n}`, password);
    accounts.secrets.emails.add(a.email);
    const { user } = await accounts.must("grpc", "getCurrentUser", { sessionToken: a.session });
    made.push({ id: user?.id as string, name: `${p}${n}` });
  }
  const page = await admin.must("grpc", "listAccounts", { pageSize: 1 });
  world = {
    ids: made.map((m) => m.id),
    names: made.map((m) => m.name),
    pageToken: page.nextPageToken,
  };
}

beforeAll(async () => {
  t = await startTestServer({ env: { REQUEST_MAX_BYTES: String(REQUEST_MAX_BYTES) } });
  accounts = new RpcDriver(t, REQUEST_MAX_BYTES);
  admin = new ServiceDriver(t, REQUEST_MAX_BYTES, AdminService, ADMIN_RPC_REASONS);
  await buildWorld();
});
afterAll(async () => {
  accounts?.close();
  admin?.close();
  await t?.close();
});

/** A text field: hostile or huge text, a world value (maybe damaged), or another UUID. */
type Text = string | Huge | { ref: number; mu: Mutation; upper: boolean };
const text = (extra: fc.Arbitrary<string>): fc.Arbitrary<Text> =>
  fc.oneof(
    { arbitrary: hostile, weight: 3 },
    {
      arbitrary: fc.record({ ref: fc.nat({ max: 2 }), mu: mutation, upper: fc.boolean() }),
      weight: 3,
    },
    { arbitrary: extra, weight: 1 },
  );
const otherUuid = fc.oneof(
  fc.uuid(),
  fc.constantFrom("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"),
);
function resolve(f: Text, values: string[]): string {
  if (typeof f === "string") return f;
  if ("huge" in f) return hugeText(f);
  const value = mutate(values[f.ref] as string, f.mu);
  return f.upper ? value.toUpperCase() : value;
}

/** Timestamps: mostly in range; on the binary wires also anywhere in int64 seconds / int32 nanos. */
const timestamp = fc.oneof(
  fc.record({ seconds: fc.bigInt(-62_135_596_800n, 253_402_300_799n), nanos: fc.nat(999_999_999) }),
  fc.record({
    seconds: fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n),
    nanos: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  }),
);
const inRange = (ts: { seconds: bigint; nanos: number }) =>
  ts.seconds >= -62_135_596_800n &&
  ts.seconds <= 253_402_300_799n &&
  ts.nanos >= 0 &&
  ts.nanos < 1e9;

const adminCase = fc.oneof(
  fc.record({
    kind: fc.constant("byId" as const),
    rpc: fc.constantFrom(...ID_RPCS),
    wire: fc.constantFrom(...WIRES),
    id: text(otherUuid),
  }),
  fc.record({
    kind: fc.constant("get" as const),
    wire: fc.constantFrom(...WIRES),
    lookup: fc.constantFrom("id", "username", "email", "none"),
    value: text(otherUuid),
  }),
  fc.record({
    kind: fc.constant("list" as const),
    wire: fc.constantFrom(...WIRES),
    pageSize: fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.integer({ min: -2, max: 1001 }),
    ),
    token: fc.oneof(
      { arbitrary: fc.constant<Text>(""), weight: 2 },
      { arbitrary: text(fc.constant("")), weight: 4 },
    ),
    verified: fc.option(fc.boolean(), { nil: undefined }),
    disabled: fc.option(fc.boolean(), { nil: undefined }),
    after: fc.option(timestamp, { nil: undefined }),
    before: fc.option(timestamp, { nil: undefined }),
  }),
);
type AdminCase = typeof adminCase extends fc.Arbitrary<infer C> ? C : never;

/** The verdict an id as the server receives it must get: malformed, unknown, or a live account. */
function byIdVerdict(raw: string, wire: Wire): string {
  const id = onWire(raw, wire);
  if (!UUID.test(id)) return "INVALID_ACCOUNT_ID";
  return world.ids.includes(id.toLowerCase()) ? "OK" : "ACCOUNT_NOT_FOUND";
}

async function runCase(c: AdminCase): Promise<void> {
  if (c.kind === "byId") {
    const id = resolve(c.id, world.ids);
    const out = await admin.call(c.wire, c.rpc as IdRpc, { accountId: id });
    if (out.ok || out.reason)
      expect(verdict(out), `${c.rpc} ${id.slice(0, 60)}`).toBe(byIdVerdict(id, c.wire));
    if (out.ok && c.rpc === "deleteAccountAsAdmin") await buildWorld();
    return;
  }
  if (c.kind === "get") {
    const values =
      c.lookup === "username"
        ? world.names
        : c.lookup === "email"
          ? world.names.map((n) => `${n}@example.com`)
          : world.ids;
    const value = resolve(c.value, values);
    const lookup = c.lookup === "none" ? { case: undefined } : { case: c.lookup, value };
    const out = await admin.call(c.wire, "getAccount", { lookup } as never);
    if (!out.ok && !out.reason) return; // refused by the transport (size, undecodable)
    if (c.lookup === "none") expect(verdict(out)).toBe("INVALID_ACCOUNT_ID");
    else if (c.lookup === "id") expect(verdict(out)).toBe(byIdVerdict(value, c.wire));
    else if (values.includes(onWire(value, c.wire).toLowerCase())) expect(verdict(out)).toBe("OK");
    else expect(verdict(out)).not.toBe("OK");
    return;
  }
  // Connect JSON cannot even encode a Timestamp outside its range: those go on the binary wires.
  const wire = [c.after, c.before].some((ts) => ts && !inRange(ts)) ? "grpc" : c.wire;
  const token = resolve(c.token, [world.pageToken, world.pageToken, world.pageToken]);
  const ts = (v?: { seconds: bigint; nanos: number }): Timestamp | undefined =>
    v && create(TimestampSchema, v);
  const filters = {
    verified: c.verified,
    disabled: c.disabled,
    createTimeAfter: ts(c.after),
    createTimeBefore: ts(c.before),
  };
  const out = await admin.call(wire, "listAccounts", {
    pageSize: c.pageSize,
    pageToken: token,
    ...filters,
  });
  if (!out.ok && !out.reason) return;
  const unfiltered = Object.values(filters).every((v) => v === undefined);
  const expected =
    c.pageSize < 0
      ? "INVALID_PAGE_SIZE"
      : [c.after, c.before].some((v) => v && !inRange(v))
        ? "INVALID_FILTER"
        : token === "" || (token === world.pageToken && unfiltered)
          ? "OK"
          : "INVALID_PAGE_TOKEN";
  expect(verdict(out), `ListAccounts token ${token.slice(0, 60)}`).toBe(expected);
  if (out.ok) expect(out.res.accounts.length).toBeLessThanOrEqual(Math.min(c.pageSize || 50, 1000));
}

describe("hostile input to AdminService (fast-check)", () => {
  it("ids, page tokens, filters and page sizes of every shape get their documented answer", async () => {
    await fc.assert(
      fc.asyncProperty(adminCase, async (c) => {
        await runCase(c);
        await checkStore(accounts);
      }),
      params(400),
    );
  }, 120_000);

  it("every admin call the handler saw wrote one audit line; no secret reached a log", () => {
    const refused = [...admin.refusals.values()].reduce((a, b) => a + b, 0);
    const audit = t.logs.filter((line) => line.includes('"event":"admin.action"')).length;
    expect(audit).toBe(admin.total - refused);
    expect(logLeaks(t.logs, accounts.secrets)).toEqual([]);
    for (const name of Object.keys(AdminService.method)) {
      for (const wire of WIRES) {
        if (name === "listAccounts" && wire !== "grpc") continue;
        expect(admin.counts.get(`${wire} ${name}`) ?? 0, `${wire} ${name}`).toBeGreaterThan(0);
      }
    }
  });
});
