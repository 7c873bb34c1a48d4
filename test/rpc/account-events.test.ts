import { Code } from "@connectrpc/connect";
import type { AccountEvent } from "@userharbor/client/userharbor/v1/events_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unique } from "../support/records.js";
import { expectFailure } from "../support/rpc-errors.js";
import { signUp } from "../support/sign-up.js";
import { storeHarnesses } from "../support/stores.js";
import {
  type EventsClient,
  PROTOCOLS,
  startTestServer,
  type TestServer,
} from "../support/test-server.js";

const PASSWORD = "events suite correct horse";
const client = { ip: "203.0.113.9", userAgent: "events-test" };

/** Reads a Watch stream into `into` until the stream ends or `signal` aborts. */
function collect(
  stream: AsyncIterable<{ event?: AccountEvent | undefined }>,
  into: AccountEvent[],
) {
  return (async () => {
    for await (const { event } of stream) if (event) into.push(event);
  })().catch((error: unknown) => error);
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(storeHarnesses)("AccountEventsService on the $name store", (harness) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store: harness, env: { REQUIRE_VERIFIED_EMAIL: "false" } });
  });
  afterAll(() => t?.close());

  const member = async () => {
    const username = unique("ev").replace(/-/g, "_");
    const sessionToken = await signUp(t.client("grpc"), { username, password: PASSWORD, client });
    return { username, sessionToken };
  };

  it.each(
    PROTOCOLS,
  )("over %s: Watch from the live end gets new events within a second, and resumes after a disconnect from its cursor", async (protocol) => {
    const events: EventsClient = t.events(protocol);
    const first = new AbortController();
    const seen: AccountEvent[] = [];
    const done = collect(events.watchAccountEvents({}, { signal: first.signal }), seen);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the stream open
    const a = await member();
    const started = Date.now();
    await until(() => seen.length >= 1, 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen[0]).toMatchObject({ type: "account.registered", username: a.username });
    first.abort();
    await done;
    // While disconnected: two more accounts' events commit.
    const b = await member();
    await t.client("grpc").logoutAll({ sessionToken: b.sessionToken });
    const resumed = new AbortController();
    const after: AccountEvent[] = [];
    const cursor = seen.at(-1)?.cursor as string;
    const again = collect(
      events.watchAccountEvents({ afterCursor: cursor }, { signal: resumed.signal }),
      after,
    );
    await until(() => after.length >= 2);
    resumed.abort();
    await again;
    expect(after.map((e) => [e.type, e.username])).toEqual([
      ["account.registered", b.username],
      ["account.sessions_revoked", b.username],
    ]);
    expect(new Set([...seen, ...after].map((e) => e.id)).size).toBe(seen.length + after.length);
  });

  it.each(
    PROTOCOLS,
  )("over %s: List pages by cursor and says caught up with an empty page", async (protocol) => {
    const events = t.events(protocol);
    let cursor = "";
    for (;;) {
      const page = await events.listAccountEvents({ afterCursor: cursor, pageSize: 1000 });
      if (page.events.length === 0) {
        expect(page.nextCursor).toBe(cursor);
        break;
      }
      expect(page.nextCursor).toBe(page.events.at(-1)?.cursor);
      cursor = page.nextCursor;
    }
    const m = await member();
    const page = await events.listAccountEvents({
      afterCursor: cursor,
      types: ["account.registered"],
    });
    expect(page.events.map((e) => e.username)).toEqual([m.username]);
    const [event] = page.events;
    expect(event?.time).toBeDefined();
    expect(event?.accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event?.email).toBe(`${m.username}@example.com`);
  });

  it("bad cursors and types get INVALID_ARGUMENT with a stable reason, on List and on Watch", async () => {
    const events = t.events("grpc");
    await expectFailure(
      events.listAccountEvents({ afterCursor: "not-a-cursor" }),
      Code.InvalidArgument,
      "INVALID_CURSOR",
    );
    await expectFailure(
      events.listAccountEvents({ types: ["account.nope"] }),
      Code.InvalidArgument,
      "INVALID_EVENT_TYPE",
    );
    await expectFailure(
      events.listAccountEvents({ pageSize: -5 }),
      Code.InvalidArgument,
      "INVALID_PAGE_SIZE",
    );
    for (const protocol of PROTOCOLS) {
      await expectFailure(
        collect(t.events(protocol).watchAccountEvents({ afterCursor: "AAAA" }), []).then((e) => {
          throw e;
        }),
        Code.InvalidArgument,
        "INVALID_CURSOR",
      );
    }
  });

  it("a cursor past retention is OUT_OF_RANGE / CURSOR_EXPIRED, on List and Watch", async () => {
    await member();
    const events = t.events("connect");
    const { events: page } = await events.listAccountEvents({ pageSize: 1 });
    const cursor = page[0]?.cursor as string;
    t.clock.advance(8 * 86_400_000);
    await member(); // an event inside retention: the one after the cursor is not
    await expectFailure(
      events.listAccountEvents({ afterCursor: cursor }),
      Code.OutOfRange,
      "CURSOR_EXPIRED",
    );
    await expectFailure(
      collect(events.watchAccountEvents({ afterCursor: cursor }), []).then((e) => {
        throw e;
      }),
      Code.OutOfRange,
      "CURSOR_EXPIRED",
    );
  });
});

describe("AccountEventsService access and shutdown", () => {
  const EVENTS_KEY = "events-suite-events-key-0001";
  const ACCOUNTS_KEY = "events-suite-accounts-key-01";
  const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { API_KEYS: `feed=${EVENTS_KEY}:events;web=${ACCOUNTS_KEY}:accounts,client-ip` },
    });
  });
  afterAll(() => t?.close());

  it("needs the events scope: an accounts key is MISSING_SCOPE, an events key cannot call AccountService", async () => {
    for (const protocol of PROTOCOLS) {
      const events = t.events(protocol);
      await expectFailure(
        events.listAccountEvents({}, as(ACCOUNTS_KEY)),
        Code.PermissionDenied,
        "MISSING_SCOPE",
      );
      await expectFailure(
        collect(events.watchAccountEvents({}, as(ACCOUNTS_KEY)), []).then((e) => {
          throw e;
        }),
        Code.PermissionDenied,
        "MISSING_SCOPE",
      );
      await expectFailure(events.listAccountEvents({}), Code.Unauthenticated, "INVALID_API_KEY");
      expect((await events.listAccountEvents({}, as(EVENTS_KEY))).events).toBeDefined();
      await expectFailure(
        t.client(protocol).verifySession({ sessionToken: "x" }, as(EVENTS_KEY)),
        Code.PermissionDenied,
        "MISSING_SCOPE",
      );
    }
  });

  it("shutdown ends open Watch streams with UNAVAILABLE / SHUTTING_DOWN (reconnect elsewhere)", async () => {
    const server = await startTestServer({ env: { SHUTDOWN_TIMEOUT: "5s" } });
    const outcomes = PROTOCOLS.map((protocol) =>
      collect(server.events(protocol).watchAccountEvents({}), []),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(4_000);
    for (const outcome of outcomes) {
      await expectFailure(
        outcome.then((e) => {
          throw e;
        }),
        Code.Unavailable,
        "SHUTTING_DOWN",
      );
    }
  });
});
