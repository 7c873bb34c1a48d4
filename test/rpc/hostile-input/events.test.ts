import { AccountEventsService } from "@userharbor/client/userharbor/v1/events_pb.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_EVENT_TYPES } from "../../../src/core/domain/account-event.js";
import type { Reason } from "../../../src/core/errors.js";
import { type Huge, hostile, hugeText } from "../../support/hostile-strings.js";
import { logLeaks } from "../../support/log-leaks.js";
import { RpcDriver, ServiceDriver, WIRES } from "../../support/rpc-driver.js";
import { startTestServer, type TestServer } from "../../support/test-server.js";
import { type Mutation, mutate, mutation } from "./arbitraries.js";
import { accountWithSession, onWire, params, REQUEST_MAX_BYTES, uid, verdict } from "./harness.js";

/**
 * Hostile input for AccountEventsService: cursors of every shape (hostile text,
 * huge, real cursors damaged one character at a time, cursors of another log),
 * type filters with unknown, odd and huge entries, page sizes over the whole
 * int32 range, on Connect binary, Connect JSON and gRPC, for List and for
 * Watch (a Watch that stays open and silent counts as accepted). ServiceDriver
 * checks every answer against the error contract (no INTERNAL, ErrorInfo with a
 * reason the RPC documents); the property checks the verdict each input gets.
 */

const CURSOR_REASONS: Reason[] = ["INVALID_CURSOR", "INVALID_EVENT_TYPE", "CURSOR_EXPIRED"];
const EVENT_REASONS = {
  listAccountEvents: [...CURSOR_REASONS, "INVALID_PAGE_SIZE"],
  watchAccountEvents: CURSOR_REASONS,
} as Record<keyof typeof AccountEventsService.method, Reason[]>;

let t: TestServer;
let accounts: RpcDriver;
let events: ServiceDriver<typeof AccountEventsService>;
/** Real cursors of the world's events, oldest first. */
let cursors: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ env: { REQUEST_MAX_BYTES: String(REQUEST_MAX_BYTES) } });
  accounts = new RpcDriver(t, REQUEST_MAX_BYTES);
  events = new ServiceDriver(t, REQUEST_MAX_BYTES, AccountEventsService, EVENT_REASONS);
  for (const n of [1, 2]) {
    const password = `events ${uid()} ✓ horse ${n}`;
    accounts.secrets.passwords.add(password);
    const a = await accountWithSession(accounts, `ev${uid()}${n}`, password);
    accounts.secrets.emails.add(a.email);
  }
  const page = await events.must("grpc", "listAccountEvents", {});
  cursors = page.events.map((e) => e.cursor);
});
afterAll(async () => {
  accounts?.close();
  events?.close();
  await t?.close();
});

/** A cursor: hostile or huge text, empty, or a real one (maybe damaged). */
type CursorField = string | Huge | { ref: number; mu: Mutation };
const cursorField: fc.Arbitrary<CursorField> = fc.oneof(
  { arbitrary: hostile, weight: 3 },
  { arbitrary: fc.constant(""), weight: 1 },
  { arbitrary: fc.record({ ref: fc.nat({ max: 3 }), mu: mutation }), weight: 4 },
);
const resolveCursor = (f: CursorField) =>
  typeof f === "string"
    ? f
    : "huge" in f
      ? hugeText(f)
      : mutate(cursors[f.ref % cursors.length] as string, f.mu);

const typeList = fc.array(
  fc.oneof(
    { arbitrary: fc.constantFrom(...ACCOUNT_EVENT_TYPES), weight: 4 },
    { arbitrary: hostile.map((h) => (typeof h === "string" ? h : hugeText(h))), weight: 1 },
  ),
  { maxLength: 4 },
);

const eventCase = fc.record({
  rpc: fc.constantFrom("listAccountEvents" as const, "watchAccountEvents" as const),
  wire: fc.constantFrom(...WIRES),
  cursor: cursorField,
  types: typeList,
  pageSize: fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.integer({ min: -2, max: 1001 }),
  ),
});

describe("hostile input to AccountEventsService (fast-check)", () => {
  it("cursors, type filters and page sizes of every shape get their documented answer", async () => {
    await fc.assert(
      fc.asyncProperty(eventCase, async (c) => {
        const cursor = resolveCursor(c.cursor);
        const out =
          c.rpc === "listAccountEvents"
            ? await events.call(c.wire, c.rpc, {
                afterCursor: cursor,
                types: c.types,
                pageSize: c.pageSize,
              })
            : await events.call(c.wire, c.rpc, { afterCursor: cursor, types: c.types });
        if (!out.ok && !out.reason) return; // refused by the transport (size, undecodable)
        const received = onWire(cursor, c.wire);
        const badType = c.types.some(
          (type) => !(ACCOUNT_EVENT_TYPES as readonly string[]).includes(onWire(type, c.wire)),
        );
        const got = verdict(out);
        const label = `${c.rpc} cursor ${JSON.stringify(received.slice(0, 60))}`;
        if (c.rpc === "listAccountEvents" && c.pageSize < 0) {
          expect(got, label).toBe("INVALID_PAGE_SIZE");
        } else if (badType) {
          expect(got, label).toBe("INVALID_EVENT_TYPE");
        } else if (received === "" || cursors.includes(received)) {
          expect(got, label).toBe("OK");
        } else {
          // A damaged cursor can still spell another real place in this log (OK) or a
          // log this server never had (CURSOR_EXPIRED); anything else is refused.
          expect(["INVALID_CURSOR", "CURSOR_EXPIRED", "OK"], label).toContain(got);
          if (!/^[A-Za-z0-9_-]{23}$/.test(received)) expect(got, label).toBe("INVALID_CURSOR");
        }
        if (out.ok && "events" in out.res) {
          expect(out.res.events.length).toBeLessThanOrEqual(Math.min(c.pageSize || 100, 1000));
        }
      }),
      params(300),
    );
  }, 180_000);

  it("every RPC on every wire was exercised, and no secret reached a log", () => {
    expect(logLeaks(t.logs, accounts.secrets)).toEqual([]);
    for (const name of Object.keys(AccountEventsService.method)) {
      for (const wire of WIRES) {
        expect(events.counts.get(`${wire} ${name}`) ?? 0, `${wire} ${name}`).toBeGreaterThan(0);
      }
    }
  });
});
