import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createAdmin } from "../../src/core/admin.js";
import type { AccountEvent } from "../../src/core/domain/account-event.js";
import { encodeCursor } from "../../src/core/domain/event-cursor.js";
import { PageTokens } from "../../src/core/domain/page-token.js";
import {
  type EventsContext,
  listAccountEvents,
  watchAccountEvents,
} from "../../src/core/use-cases/events/account-events.js";
import { EventFeed } from "../../src/core/use-cases/events/feed.js";
import {
  type CoreWorld,
  client,
  coreWorld,
  DAY,
  failsMidwayUnchanged,
  HOUR,
  NEW_PASSWORD,
  PASSWORD,
  rejects,
  uniqueName,
} from "../support/core-world.js";

const EPOCH = new Date(0);

/** Every event the world's log holds, oldest first. */
const logOf = (w: CoreWorld) =>
  w.store.events.read({ after: 0, limit: 100_000, retainedAfter: EPOCH });

/** The events `action` appended (and proves the flow woke watchers exactly when it did). */
async function appendedBy(w: CoreWorld, action: () => Promise<unknown>): Promise<AccountEvent[]> {
  const head = (await w.store.events.head()).sequence;
  const wakes = w.eventsCommitted();
  await action();
  const events = await w.store.events.read({ after: head, limit: 100, retainedAfter: EPOCH });
  expect(w.eventsCommitted() - wakes).toBe(events.length > 0 ? 1 : 0);
  return events;
}

const adminOf = (w: CoreWorld) =>
  createAdmin({ ...w.ctx, pageTokens: new PageTokens(randomBytes(32)) });

describe("account events: each committed change writes its event in its own transaction", () => {
  it("every flow that changes an account records exactly its event, with the account as it is after", async () => {
    const w = coreWorld();
    const admin = adminOf(w);
    const username = uniqueName();
    const email = `${username}@example.com`;
    let id = "";
    const expectOne = async (
      action: () => Promise<unknown>,
      type: string,
      address: () => string = () => email,
    ) => {
      const events = await appendedBy(w, action);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type, accountId: id, username, email: address() });
      expect(events[0]?.id).toMatch(/^evt_[0-9a-f-]{36}$/);
    };

    const registered = await appendedBy(w, async () => {
      id = (await w.accounts.register({ username, email, password: PASSWORD, client })).id;
    });
    expect(registered).toMatchObject([{ type: "account.registered", accountId: id, email }]);
    const link = (await w.mail(email, "verification"))[0]?.token as string;
    await expectOne(
      () => w.accounts.verifyEmail({ token: link, client }),
      "account.email_verified",
    );
    let session = await w.login({ username, password: PASSWORD });
    await expectOne(
      () =>
        w.accounts.changePassword({
          sessionToken: session,
          oldPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        }),
      "account.password_changed",
    );
    const moved = `${uniqueName("moved")}@example.com`;
    const change = await w.tokenFrom(moved, "verification", () =>
      w.accounts.changeEmail({
        sessionToken: session,
        password: NEW_PASSWORD,
        newEmail: moved,
        client,
      }),
    );
    await expectOne(
      () => w.accounts.verifyEmail({ token: change, client }),
      "account.email_changed",
      () => moved,
    );
    const reset = await w.tokenFrom(moved, "password_reset", () =>
      w.accounts.sendPasswordReset({ email: moved, client }),
    );
    await expectOne(
      () => w.accounts.resetPassword({ token: reset, newPassword: PASSWORD, client }),
      "account.password_reset",
      () => moved,
    );
    session = await w.login({ username, password: PASSWORD });
    await expectOne(
      () => w.accounts.logoutAll(session),
      "account.sessions_revoked",
      () => moved,
    );
    await w.login({ username, password: PASSWORD });
    await expectOne(
      () => admin.revokeAccountSessions(id),
      "account.sessions_revoked",
      () => moved,
    );
    // Nothing left to revoke: nothing written, no event.
    expect(await appendedBy(w, () => admin.revokeAccountSessions(id))).toEqual([]);
    await expectOne(
      () => admin.disableAccount(id, "test"),
      "account.disabled",
      () => moved,
    );
    await expectOne(
      () => admin.enableAccount(id),
      "account.enabled",
      () => moved,
    );
    await expectOne(
      () => admin.deleteAccountAsAdmin(id),
      "account.deleted",
      () => moved,
    );

    // Changes that change nothing record nothing; logins and reads record nothing.
    const other = await w.signedIn();
    id = other.user.id;
    expect(await appendedBy(w, () => admin.enableAccount(id))).toEqual([]);
    expect(await appendedBy(w, () => admin.markEmailVerified(id))).toEqual([]);
    expect(await appendedBy(w, () => w.login(other))).toEqual([]);
    expect(await appendedBy(w, () => w.accounts.listSessions(other.session))).toEqual([]);
    await admin.disableAccount(id, "");
    expect(await appendedBy(w, () => admin.disableAccount(id, "again"))).toEqual([]);
    await admin.enableAccount(id);
    await w.accounts.deleteAccount({ sessionToken: await w.login(other), password: PASSWORD });
    const last = (await logOf(w)).at(-1);
    expect(last).toMatchObject({ type: "account.deleted", accountId: id, email: other.email });
  });

  it("an operator's MarkEmailVerified of an unverified address records account.email_verified", async () => {
    const w = coreWorld();
    const person = await w.registered();
    const events = await appendedBy(w, () => adminOf(w).markEmailVerified(person.user.id));
    expect(events).toMatchObject([{ type: "account.email_verified", accountId: person.user.id }]);
  });

  it("a change that rolls back leaves no event: its append is undone with the rest, leaving no gap", async () => {
    // Each flow appends its event before it queues its mail; the mail write fails, so the
    // transaction rolls back after the append (failsMidwayUnchanged compares every record,
    // the event log and its head included).
    const flows: [string, (w: CoreWorld) => Promise<() => Promise<unknown>>][] = [
      [
        "Register",
        async (w) => () =>
          w.accounts.register({
            username: uniqueName(),
            email: "x@example.com",
            password: PASSWORD,
            client,
          }),
      ],
      [
        "ChangePassword",
        async (w) => {
          const person = await w.signedIn();
          return () =>
            w.accounts.changePassword({
              sessionToken: person.session,
              oldPassword: PASSWORD,
              newPassword: NEW_PASSWORD,
            });
        },
      ],
      [
        "ResetPassword",
        async (w) => {
          const person = await w.signedIn();
          const reset = await w.tokenFrom(person.email, "password_reset", () =>
            w.accounts.sendPasswordReset({ email: person.email, client }),
          );
          return () =>
            w.accounts.resetPassword({ token: reset, newPassword: NEW_PASSWORD, client });
        },
      ],
    ];
    for (const [name, prepare] of flows) {
      const w = coreWorld();
      const call = await prepare(w);
      const head = await w.store.events.head();
      const wakes = w.eventsCommitted();
      let appended = 0;
      const append = w.store.events.append.bind(w.store.events);
      const transaction = w.store.transaction.bind(w.store);
      // Count appends made inside the failing transaction: the rollback must undo a real one.
      w.store.transaction = (work) =>
        transaction((tx) =>
          work({
            ...tx,
            events: {
              ...tx.events,
              read: tx.events.read.bind(tx.events),
              head: tx.events.head.bind(tx.events),
              oldestRetained: tx.events.oldestRetained.bind(tx.events),
              append: (e) => {
                appended++;
                return tx.events.append(e);
              },
            },
          }),
        );
      await failsMidwayUnchanged(w, call);
      expect(appended, name).toBe(1);
      expect(await w.store.events.head(), name).toEqual(head);
      expect(w.eventsCommitted(), name).toBe(wakes);
      const [next] = await append([
        {
          id: "evt_x",
          type: "account.enabled",
          accountId: "a",
          username: "u",
          email: "e",
          at: new Date(),
        },
      ]);
      expect(next?.sequence, name).toBe(head.sequence + 1);
    }
  });

  it("a flow refused half-way (session gone while hashing) records nothing", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const before = (await w.store.events.head()).sequence;
    const change = w.accounts.changePassword({
      sessionToken: person.session,
      oldPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    await w.accounts.logout(person.session);
    await rejects(change, "INVALID_SESSION");
    expect((await w.store.events.head()).sequence).toBe(before);
  });
});

function eventsContext(w: CoreWorld, retentionMs = 7 * DAY): EventsContext {
  return {
    log: w.store.events,
    clock: w.clock,
    retentionMs,
    feed: new EventFeed(async () => (await w.store.events.head()).sequence, 20),
  };
}

describe("account events: listing and watching", () => {
  it("List pages from the oldest retained event; next_cursor resumes; an empty page means caught up", async () => {
    const w = coreWorld();
    const ctx = eventsContext(w);
    expect(await listAccountEvents(ctx, { afterCursor: "", pageSize: 0, types: [] })).toEqual({
      events: [],
      nextCursor: "",
    });
    const people = [await w.verified(), await w.verified()];
    const first = await listAccountEvents(ctx, { afterCursor: "", pageSize: 3, types: [] });
    expect(first.events.map((e) => e.type)).toEqual([
      "account.registered",
      "account.email_verified",
      "account.registered",
    ]);
    expect(first.nextCursor).toBe(first.events[2]?.cursor);
    const second = await listAccountEvents(ctx, {
      afterCursor: first.nextCursor,
      pageSize: 3,
      types: [],
    });
    expect(second.events.map((e) => [e.type, e.accountId])).toEqual([
      ["account.email_verified", people[1]?.user.id],
    ]);
    const caughtUp = await listAccountEvents(ctx, {
      afterCursor: second.nextCursor,
      pageSize: 3,
      types: [],
    });
    expect(caughtUp).toEqual({ events: [], nextCursor: second.nextCursor });
    // Polling again later from next_cursor returns what committed since.
    const third = await w.verified();
    const later = await listAccountEvents(ctx, {
      afterCursor: caughtUp.nextCursor,
      pageSize: 0,
      types: [],
    });
    expect(later.events.map((e) => e.accountId)).toEqual([third.user.id, third.user.id]);
    // Sequences strictly increase along the pages, each event once.
    const all = [...first.events, ...second.events, ...later.events].map((e) => e.sequence);
    expect(all).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("type filters, on List and Watch; an unknown type is INVALID_EVENT_TYPE", async () => {
    const w = coreWorld();
    const ctx = eventsContext(w);
    const person = await w.signedIn();
    await w.accounts.deleteAccount({ sessionToken: person.session, password: PASSWORD });
    await w.verified();
    const page = await listAccountEvents(ctx, {
      afterCursor: "",
      pageSize: 0,
      types: ["account.deleted", "account.email_verified"],
    });
    expect(page.events.map((e) => e.type)).toEqual([
      "account.email_verified",
      "account.deleted",
      "account.email_verified",
    ]);
    await rejects(
      listAccountEvents(ctx, {
        afterCursor: "",
        pageSize: 0,
        types: ["account.deleted", "Account.Deleted"],
      }),
      "INVALID_EVENT_TYPE",
      "types",
    );
    const controller = new AbortController();
    const watch = watchAccountEvents(
      ctx,
      { afterCursor: "", types: ["account.deleted"] },
      controller.signal,
    );
    const next = watch.next();
    const doomed = await w.signedIn();
    await w.accounts.deleteAccount({ sessionToken: doomed.session, password: PASSWORD });
    expect((await next).value).toMatchObject({
      type: "account.deleted",
      accountId: doomed.user.id,
    });
    controller.abort();
    expect((await watch.next()).done).toBe(true);
  });

  it("Watch: an empty cursor starts at the live end; a cursor resumes exactly after its event", async () => {
    const w = coreWorld();
    const ctx = eventsContext(w);
    await w.verified();
    const controller = new AbortController();
    const live = watchAccountEvents(ctx, { afterCursor: "", types: [] }, controller.signal);
    const pending = live.next();
    const person = await w.registered();
    const first = (await pending).value;
    expect(first).toMatchObject({
      type: "account.registered",
      accountId: person.user.id,
      sequence: 3,
    });
    controller.abort();
    await w.accounts.verifyEmail({ token: person.link as string, client });
    const resumed = new AbortController();
    const watch = watchAccountEvents(ctx, { afterCursor: first.cursor, types: [] }, resumed.signal);
    expect((await watch.next()).value).toMatchObject({
      type: "account.email_verified",
      sequence: 4,
    });
    resumed.abort();
  });

  it("a malformed cursor is INVALID_CURSOR; one past retention or from another log is CURSOR_EXPIRED", async () => {
    const w = coreWorld();
    const ctx = eventsContext(w, DAY);
    await w.verified();
    const page = await listAccountEvents(ctx, { afterCursor: "", pageSize: 1, types: [] });
    const cursor = page.nextCursor;
    for (const bad of ["x", `${cursor}A`, cursor.slice(1), cursor.toLowerCase(), " "]) {
      if (bad === cursor) continue;
      await rejects(
        listAccountEvents(ctx, { afterCursor: bad, pageSize: 0, types: [] }),
        "INVALID_CURSOR",
        "after_cursor",
      );
    }
    const { logId } = await w.store.events.head();
    await rejects(
      listAccountEvents(ctx, {
        afterCursor: encodeCursor({ logId, sequence: 99 }),
        pageSize: 0,
        types: [],
      }),
      "INVALID_CURSOR",
    );
    const otherLog = encodeCursor({ logId: "0123456789abcdef", sequence: 1 });
    await rejects(
      listAccountEvents(ctx, { afterCursor: otherLog, pageSize: 0, types: [] }),
      "CURSOR_EXPIRED",
    );
    const signal = new AbortController().signal;
    await expect(
      watchAccountEvents(ctx, { afterCursor: otherLog, types: [] }, signal).next(),
    ).rejects.toMatchObject({ reason: "CURSOR_EXPIRED" });

    // A day later the event after the cursor is past retention: never a silent gap.
    w.clock.advance(DAY);
    await w.verified();
    await rejects(
      listAccountEvents(ctx, { afterCursor: cursor, pageSize: 0, types: [] }),
      "CURSOR_EXPIRED",
      "after_cursor",
    );
    await expect(
      watchAccountEvents(ctx, { afterCursor: cursor, types: [] }, signal).next(),
    ).rejects.toMatchObject({
      reason: "CURSOR_EXPIRED",
    });
    // The sweep deletes them; what is left reads from an empty cursor, and a caught-up cursor stays valid.
    await w.store.sweepExpired(w.clock.now());
    const fresh = await listAccountEvents(ctx, { afterCursor: "", pageSize: 0, types: [] });
    expect(fresh.events.map((e) => e.sequence)).toEqual([3, 4]);
    w.clock.advance(3 * DAY);
    expect(
      await listAccountEvents(ctx, { afterCursor: fresh.nextCursor, pageSize: 0, types: [] }),
    ).toEqual({
      events: [],
      nextCursor: fresh.nextCursor,
    });
  });

  it("a reader of a quiet type keeps its cursor past retention; one whose types moved on does not", async () => {
    const w = coreWorld();
    const ctx = eventsContext(w, DAY);
    const doomed = await w.signedIn();
    await w.accounts.deleteAccount({ sessionToken: doomed.session, password: PASSWORD });
    const deletions = ["account.deleted"];
    const { nextCursor: deleted } = await listAccountEvents(ctx, {
      afterCursor: "",
      pageSize: 0,
      types: deletions,
    });
    const registrations = ["account.registered"];
    const { nextCursor: registered } = await listAccountEvents(ctx, {
      afterCursor: "",
      pageSize: 0,
      types: registrations,
    });
    // Two days of other events only: everything after both cursors is past retention.
    w.clock.advance(DAY);
    await w.verified();
    w.clock.advance(DAY);
    await w.verified();
    // No deletion since: the deletions reader missed nothing, and is told it is caught up.
    expect(
      await listAccountEvents(ctx, { afterCursor: deleted, pageSize: 0, types: deletions }),
    ).toEqual({ events: [], nextCursor: deleted });
    const signal = new AbortController();
    const watching = watchAccountEvents(
      ctx,
      { afterCursor: deleted, types: deletions },
      signal.signal,
    );
    const next = watching.next();
    const another = await w.signedIn();
    await w.accounts.deleteAccount({ sessionToken: another.session, password: PASSWORD });
    expect((await next).value).toMatchObject({
      type: "account.deleted",
      accountId: another.user.id,
    });
    signal.abort();
    // Registrations happened since, and the first of them is gone: that reader lost something.
    await rejects(
      listAccountEvents(ctx, { afterCursor: registered, pageSize: 0, types: registrations }),
      "CURSOR_EXPIRED",
    );
    // And without a filter the deletions cursor is expired too: other events were lost.
    await rejects(
      listAccountEvents(ctx, { afterCursor: deleted, pageSize: 0, types: [] }),
      "CURSOR_EXPIRED",
    );
  });

  it("a negative page size is INVALID_PAGE_SIZE; above 1000 reads 1000", async () => {
    const w = coreWorld();
    const ctx = eventsContext(w);
    await rejects(
      listAccountEvents(ctx, { afterCursor: "", pageSize: -1, types: [] }),
      "INVALID_PAGE_SIZE",
      "page_size",
    );
    expect(
      (await listAccountEvents(ctx, { afterCursor: "", pageSize: 2 ** 31 - 1, types: [] })).events,
    ).toEqual([]);
  });
});

void HOUR;
