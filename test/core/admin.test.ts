import { describe, expect, it } from "vitest";
import type { AdminAction } from "../../src/core/ports/audit-log.js";
import {
  type CoreWorld,
  client,
  coreWorld,
  DAY,
  failsMidwayUnchanged,
  HOUR,
  PASSWORD,
  rejects,
  rejectsUnchanged,
  until,
} from "../support/core-world.js";
import type { PortMethod } from "../support/gated-store.js";
import { newAccount } from "../support/records.js";

/** A well-formed account id no account has. */
const UNKNOWN_ID = "0190f0e0-0000-7000-8000-000000000000";

/** The audit line an admin call writes. */
const line = (action: AdminAction, outcome: string, accountId?: string, note?: string) => ({
  type: "admin.action",
  action,
  outcome,
  accountId,
  note,
});

/** Runs `call` (a success, or a refusal awaited with `rejects`) and returns what it wrote to the audit log. */
async function auditOf(w: CoreWorld, call: () => Promise<unknown>) {
  const mark = w.audit.length;
  await call();
  return w.audit.slice(mark);
}

/** The stored account as operators see it. */
async function viewOf(w: CoreWorld, id: string, liveSessions: number) {
  return { ...(await w.store.accounts.get(id)), liveSessions };
}

/**
 * A signed-in account with everything an operator can take away: two sessions,
 * a trusted device, a pending reset link and a pending email change.
 */
async function fullyEquipped(w: CoreWorld) {
  const person = await w.signedIn();
  const { deviceToken } = await w.accounts.login({ ...person, client });
  const links = await w.pendingLinks(person);
  expect(Object.keys(await w.recordsOf(person.user.id)).sort()).toEqual([
    "accounts",
    "deviceHashesByAccount",
    "devices",
    "emailClaims",
    "resets",
    "sessionHashesByAccount",
    "sessions",
    "usernameClaims",
    "verifications",
  ]);
  return { ...person, deviceToken, links, id: person.user.id };
}

/** What is left of an account whose access was taken back: the record and its claims only. */
const ACCESS_GONE = ["accounts", "emailClaims", "usernameClaims"];

describe("GetAccount", () => {
  it("finds an account by id, username or email in any case: the stored record and its live sessions", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.login(person);
    const expected = await viewOf(w, person.user.id, 2);
    const lookups = [
      { id: person.user.id.toUpperCase() },
      { username: person.username.toUpperCase() },
      { email: person.email.toUpperCase() },
    ];
    const audit = await auditOf(w, async () => {
      for (const lookup of lookups) expect(await w.admin.getAccount(lookup)).toEqual(expected);
    });
    expect(audit).toEqual(lookups.map(() => line("GetAccount", "ok", person.user.id)));
  });

  it("counts only live sessions: an idle-expired one, still stored, is not", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    w.clock.advance(DAY);
    await w.login(person);
    w.clock.advance(6 * DAY); // the first session's idle limit: dead, though still a record
    expect(await w.store.sessions.list(person.user.id)).toHaveLength(2);
    expect(await w.admin.getAccount({ id: person.user.id })).toEqual(
      await viewOf(w, person.user.id, 1),
    );
  });

  it.each([
    ["no lookup", undefined, "INVALID_ACCOUNT_ID", "lookup"],
    ["a malformed id", { id: "not-a-uuid" }, "INVALID_ACCOUNT_ID", "id"],
    ["a malformed username", { username: "no spaces here" }, "INVALID_USERNAME", "username"],
    ["a malformed email", { email: "not-an-address" }, "INVALID_EMAIL", "email"],
    ["an unknown id", { id: UNKNOWN_ID }, "ACCOUNT_NOT_FOUND", undefined],
    ["an unknown username", { username: "nobody" }, "ACCOUNT_NOT_FOUND", undefined],
    ["an unknown email", { email: "nobody@example.com" }, "ACCOUNT_NOT_FOUND", undefined],
  ] as const)("%s: %s on that field, and an audit line naming no account", async (_name, lookup, reason, field) => {
    const w = coreWorld();
    await w.signedIn({ username: "somebody" });
    const audit = await auditOf(w, async () => {
      const error = await rejectsUnchanged(w, () => w.admin.getAccount(lookup), reason, field);
      expect(error.field).toBe(field);
    });
    expect(audit).toEqual([line("GetAccount", reason)]);
  });

  it("a deleted account is found by none of its old id, username and email", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.admin.deleteAccountAsAdmin(person.user.id);
    for (const lookup of [
      { id: person.user.id },
      { username: person.username },
      { email: person.email },
    ]) {
      await rejects(w.admin.getAccount(lookup), "ACCOUNT_NOT_FOUND");
    }
  });
});

describe("ListAccounts", () => {
  /** Every page of a listing, following page tokens; each page's accounts' ids. */
  async function allPages(
    w: CoreWorld,
    input: Omit<Parameters<CoreWorld["admin"]["listAccounts"]>[0], "pageToken">,
  ) {
    const pages: string[][] = [];
    let pageToken = "";
    do {
      const page = await w.admin.listAccounts({ ...input, pageToken });
      pages.push(page.accounts.map((a) => a.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return pages;
  }

  it("pages in id order (creation order), each account as stored with its live sessions; the last page has no token", async () => {
    const w = coreWorld();
    const people = [];
    for (let i = 0; i < 7; i++) people.push(await w.signedIn());
    const ids = people.map((p) => p.user.id);
    expect([...ids].sort()).toEqual(ids);
    const audit = await auditOf(w, async () => {
      expect(await allPages(w, { pageSize: 3 })).toEqual([
        ids.slice(0, 3),
        ids.slice(3, 6),
        [ids[6]],
      ]);
    });
    expect(audit).toEqual(Array(3).fill(line("ListAccounts", "ok")));
    const first = await w.admin.listAccounts({ pageSize: 1, pageToken: "" });
    expect(first.accounts).toEqual([await viewOf(w, ids[0] as string, 1)]);
  });

  it("an account removed after a page was served shifts nothing: the next page resumes after it", async () => {
    const w = coreWorld();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await w.registered()).user.id);
    const first = await w.admin.listAccounts({ pageSize: 2, pageToken: "" });
    expect(first.accounts.map((a) => a.id)).toEqual(ids.slice(0, 2));
    await w.admin.deleteAccountAsAdmin(ids[1] as string); // the id the token carries
    const second = await w.admin.listAccounts({ pageSize: 2, pageToken: first.nextPageToken });
    expect(second.accounts.map((a) => a.id)).toEqual(ids.slice(2));
    expect(second.nextPageToken).toBe("");
  });

  it("page size 0 is the default (50); above the maximum, the maximum (1000)", async () => {
    const w = coreWorld();
    await w.store.accounts.createMany(Array.from({ length: 1001 }, () => newAccount()));
    const byDefault = await w.admin.listAccounts({ pageSize: 0, pageToken: "" });
    expect(byDefault.accounts).toHaveLength(50);
    const capped = await w.admin.listAccounts({ pageSize: 5000, pageToken: "" });
    expect(capped.accounts).toHaveLength(1000);
    const rest = await w.admin.listAccounts({ pageSize: 5000, pageToken: capped.nextPageToken });
    expect(rest).toMatchObject({ accounts: [expect.anything()], nextPageToken: "" });
  });

  it("filters by verified, disabled and creation time (from inclusive, before exclusive)", async () => {
    const w = coreWorld();
    const t0 = w.clock.now();
    const unverified = (await w.registered()).user.id;
    w.clock.advance(HOUR);
    const t1 = w.clock.now();
    const verified = (await w.verified()).user.id;
    w.clock.advance(HOUR);
    const t2 = w.clock.now();
    const disabled = (await w.verified()).user.id;
    await w.admin.disableAccount(disabled, "");
    const list = async (filters: object) =>
      (await allPages(w, { pageSize: 10, ...filters })).flat();
    expect(await list({})).toEqual([unverified, verified, disabled]);
    expect(await list({ verified: true })).toEqual([verified, disabled]);
    expect(await list({ verified: false })).toEqual([unverified]);
    expect(await list({ disabled: true })).toEqual([disabled]);
    expect(await list({ disabled: false, verified: true })).toEqual([verified]);
    expect(await list({ createdFrom: t1 })).toEqual([verified, disabled]);
    expect(await list({ createdBefore: t2 })).toEqual([unverified, verified]);
    expect(await list({ createdFrom: t1, createdBefore: t2 })).toEqual([verified]);
    expect(await list({ createdFrom: t0, createdBefore: t0 })).toEqual([]);
  });

  it("a page token is good only for the filters it was issued for, and only from this service", async () => {
    const w = coreWorld();
    for (let i = 0; i < 3; i++) await w.verified();
    const filters = { verified: true, createdFrom: new Date(0) };
    const { nextPageToken } = await w.admin.listAccounts({
      pageSize: 1,
      pageToken: "",
      ...filters,
    });
    const elsewhere = coreWorld();
    for (let i = 0; i < 2; i++) await elsewhere.verified();
    const foreign = await elsewhere.admin.listAccounts({ pageSize: 1, pageToken: "", ...filters });
    expect([nextPageToken, foreign.nextPageToken]).not.toContain("");
    const replays = [
      { verified: false, createdFrom: new Date(0) },
      { createdFrom: new Date(0) },
      { ...filters, disabled: false },
      { ...filters, createdFrom: new Date(1) },
      { ...filters, createdBefore: new Date(Date.UTC(2100, 0, 1)) },
    ];
    const audit = await auditOf(w, async () => {
      for (const other of replays) {
        await rejectsUnchanged(
          w,
          () => w.admin.listAccounts({ pageSize: 1, pageToken: nextPageToken, ...other }),
          "INVALID_PAGE_TOKEN",
          "page_token",
        );
      }
      // A token of another deployment (another key) means nothing here.
      await rejects(
        w.admin.listAccounts({ pageSize: 1, pageToken: foreign.nextPageToken, ...filters }),
        "INVALID_PAGE_TOKEN",
        "page_token",
      );
    });
    expect(audit).toEqual(
      Array(replays.length + 1).fill(line("ListAccounts", "INVALID_PAGE_TOKEN")),
    );
    const second = await w.admin.listAccounts({
      pageSize: 1,
      pageToken: nextPageToken,
      ...filters,
    });
    expect(second.accounts).toHaveLength(1);
  });

  it.each([
    ["a negative page size", { pageSize: -1 }, "INVALID_PAGE_SIZE", "page_size"],
    ["a fractional page size", { pageSize: 2.5 }, "INVALID_PAGE_SIZE", "page_size"],
    [
      "an invalid from date",
      { createdFrom: new Date(Number.NaN) },
      "INVALID_FILTER",
      "create_time_after",
    ],
    [
      "an invalid before date",
      { createdBefore: new Date(Number.NaN) },
      "INVALID_FILTER",
      "create_time_before",
    ],
  ] as const)("%s: %s on %s, audited", async (_name, input, reason, field) => {
    const w = coreWorld();
    await w.registered();
    const audit = await auditOf(w, () =>
      rejectsUnchanged(
        w,
        () => w.admin.listAccounts({ pageSize: 10, pageToken: "", ...input }),
        reason,
        field,
      ),
    );
    expect(audit).toEqual([line("ListAccounts", reason)]);
  });
});

/**
 * Every flow that names an account by `account_id`: its call on `id`, the note
 * its audit line carries, and (where it writes several records) its last write.
 */
const ON_ACCOUNT: {
  action: AdminAction;
  call: (w: CoreWorld, id: string) => Promise<unknown>;
  note?: string;
  lastWrite?: PortMethod;
}[] = [
  {
    action: "DisableAccount",
    call: (w, id) => w.admin.disableAccount(id, "a note"),
    note: "a note",
    lastWrite: "devices.removeForAccount",
  },
  { action: "EnableAccount", call: (w, id) => w.admin.enableAccount(id) },
  { action: "ListAccountSessions", call: (w, id) => w.admin.listAccountSessions(id) },
  {
    action: "RevokeAccountSessions",
    call: (w, id) => w.admin.revokeAccountSessions(id),
    lastWrite: "devices.removeForAccount",
  },
  {
    action: "DeleteAccountAsAdmin",
    call: (w, id) => w.admin.deleteAccountAsAdmin(id),
    lastWrite: "accounts.remove",
  },
  { action: "MarkEmailVerified", call: (w, id) => w.admin.markEmailVerified(id) },
];

describe.each(ON_ACCOUNT)("$action on an id that names no account", ({ action, call, note }) => {
  it("a malformed id: INVALID_ACCOUNT_ID on account_id, nothing written, audited without a target", async () => {
    const w = coreWorld();
    await w.signedIn();
    for (const id of ["", "not-a-uuid", `${UNKNOWN_ID}0`, ` ${UNKNOWN_ID}`]) {
      const audit = await auditOf(w, () =>
        rejectsUnchanged(w, () => call(w, id), "INVALID_ACCOUNT_ID", "account_id"),
      );
      expect(audit).toEqual([line(action, "INVALID_ACCOUNT_ID", undefined, note)]);
    }
  });

  it("an unknown id (in any case): ACCOUNT_NOT_FOUND on account_id, nothing written, audited with the id", async () => {
    const w = coreWorld();
    await w.signedIn();
    const audit = await auditOf(w, () =>
      rejectsUnchanged(
        w,
        () => call(w, UNKNOWN_ID.toUpperCase()),
        "ACCOUNT_NOT_FOUND",
        "account_id",
      ),
    );
    expect(audit).toEqual([line(action, "ACCOUNT_NOT_FOUND", UNKNOWN_ID, note)]);
  });
});

describe.each(ON_ACCOUNT.filter((flow) => flow.lastWrite))("$action writes in one transaction", ({
  action,
  call,
  note,
  lastWrite,
}) => {
  it(`when its last write (${lastWrite}) fails, every record is as it was and the audit line says internal`, async () => {
    const w = coreWorld();
    const person = await fullyEquipped(w);
    const audit = await auditOf(w, () =>
      failsMidwayUnchanged(w, () => call(w, person.id), lastWrite),
    );
    expect(audit).toEqual([line(action, "internal", person.id, note)]);
  });
});

describe("DisableAccount", () => {
  it("sets the flag (moving the credential generation on) and ends every session, link and trusted device", async () => {
    const w = coreWorld();
    const person = await fullyEquipped(w);
    const bystander = await w.signedIn();
    const before = await w.store.accounts.get(person.id);
    const audit = await auditOf(w, async () => {
      const view = await w.admin.disableAccount(person.id, "abuse report 42");
      expect(view).toEqual(await viewOf(w, person.id, 0));
    });
    expect(await w.store.accounts.get(person.id)).toEqual({
      ...before,
      disabled: true,
      credentialGeneration: (before?.credentialGeneration ?? 0) + 1,
    });
    expect(Object.keys(await w.recordsOf(person.id)).sort()).toEqual(ACCESS_GONE);
    expect(audit).toEqual([
      { type: "sessions.revoked", username: person.username, count: 2, cause: "admin_disable" },
      line("DisableAccount", "ok", person.id, "abuse report 42"),
    ]);
    expect(await w.isLive(bystander.session)).toBe(true);
  });

  it("Login: INVALID_CREDENTIALS for a wrong password, ACCOUNT_DISABLED only for the right one, and no session", async () => {
    const w = coreWorld();
    const person = await fullyEquipped(w);
    await w.admin.disableAccount(person.id, "");
    await rejectsUnchanged(
      w,
      () => w.accounts.login({ ...person, password: "not the password at all", client }),
      "INVALID_CREDENTIALS",
    );
    const audit = await auditOf(w, () =>
      rejectsUnchanged(
        w,
        () =>
          w.accounts.login({ ...person, client: { ...client, deviceToken: person.deviceToken } }),
        "ACCOUNT_DISABLED",
      ),
    );
    expect(audit).toEqual([
      { type: "login.failed", login: person.username, ip: client.ip, reason: "account_disabled" },
    ]);
  });

  it("no link is issued while disabled: a reset request mails nothing", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.admin.disableAccount(person.user.id, "");
    const resets = (await w.mail(person.email, "password_reset")).length;
    await w.accounts.sendPasswordReset({ email: person.email, client });
    expect(await w.mail(person.email, "password_reset")).toHaveLength(resets);
    expect(Object.keys(await w.recordsOf(person.user.id)).sort()).toEqual(ACCESS_GONE);
  });

  it("a Login that checked the password before the disable opens no session (the generation moved)", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const hashing = w.holdHashing();
    const login = w.accounts.login({ ...person, client });
    await until(() => hashing.held === 1, "the login checked the password");
    await w.admin.disableAccount(person.user.id, "");
    hashing.release();
    await rejects(login, "INVALID_CREDENTIALS");
    expect(Object.keys(await w.recordsOf(person.user.id)).sort()).toEqual(ACCESS_GONE);
  });

  it("disabling a disabled account writes nothing (the generation stays), and is audited", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.admin.disableAccount(person.user.id, "");
    const before = await w.snapshot();
    const audit = await auditOf(w, () => w.admin.disableAccount(person.user.id, "again"));
    expect(await w.snapshot()).toEqual(before);
    expect(audit).toEqual([
      { type: "sessions.revoked", username: person.username, count: 0, cause: "admin_disable" },
      line("DisableAccount", "ok", person.user.id, "again"),
    ]);
  });

  it("the note is cut to 500 characters in the audit line", async () => {
    const w = coreWorld();
    const person = await w.verified();
    await w.admin.disableAccount(person.user.id, `${"n".repeat(500)}and more`);
    expect(w.audit.at(-1)).toEqual(line("DisableAccount", "ok", person.user.id, "n".repeat(500)));
  });
});

describe("EnableAccount", () => {
  it("lets the account log in again; what the disable ended stays ended", async () => {
    const w = coreWorld();
    const person = await fullyEquipped(w);
    await w.admin.disableAccount(person.id, "");
    const audit = await auditOf(w, async () => {
      expect(await w.admin.enableAccount(person.id)).toEqual(await viewOf(w, person.id, 0));
    });
    expect(audit).toEqual([line("EnableAccount", "ok", person.id)]);
    expect(await w.store.accounts.get(person.id)).toMatchObject({ disabled: false });
    expect(await w.isLive(person.session)).toBe(false);
    await w.expectLinksDead(person.links);
    expect(await w.canLogin(person.username, PASSWORD)).toBe(true);
  });

  it("enabling an enabled account writes nothing", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const before = await w.snapshot();
    expect(await w.admin.enableAccount(person.user.id)).toEqual(await viewOf(w, person.user.id, 1));
    expect(await w.snapshot()).toEqual(before);
  });
});

describe("ListAccountSessions", () => {
  it("the live sessions, newest first, as stored, none of them current; writes nothing", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    w.clock.advance(DAY);
    const second = await w.login(person, { ip: "203.0.113.2", userAgent: "second" });
    w.clock.advance(DAY);
    await w.login(person, { ip: "203.0.113.3", userAgent: "third" });
    w.clock.advance(5 * DAY); // the first session's idle limit
    await w.signedIn(); // another account's sessions are not listed
    const stored = await w.store.sessions.list(person.user.id);
    const before = await w.snapshot();
    const audit = await auditOf(w, async () => {
      const listed = await w.admin.listAccountSessions(person.user.id);
      expect(listed.map((s) => s.userAgent)).toEqual(["third", "second"]);
      expect(listed).toEqual(
        listed.map((s) => ({ ...stored.find((x) => x.id === s.id), current: false })),
      );
    });
    expect(await w.snapshot()).toEqual(before);
    expect(audit).toEqual([line("ListAccountSessions", "ok", person.user.id)]);
    expect(await w.isLive(second)).toBe(true);
  });

  it("an account without sessions: none", async () => {
    const w = coreWorld();
    const person = await w.registered();
    expect(await w.admin.listAccountSessions(person.user.id)).toEqual([]);
  });
});

describe("RevokeAccountSessions", () => {
  it("ends every session, pending link and trusted device, returns how many sessions; the account may log in again", async () => {
    const w = coreWorld();
    const person = await fullyEquipped(w);
    const bystander = await w.signedIn();
    const audit = await auditOf(w, async () => {
      expect(await w.admin.revokeAccountSessions(person.id)).toBe(2);
    });
    expect(audit).toEqual([
      { type: "sessions.revoked", username: person.username, count: 2, cause: "admin_revoke" },
      line("RevokeAccountSessions", "ok", person.id),
    ]);
    expect(Object.keys(await w.recordsOf(person.id)).sort()).toEqual(ACCESS_GONE);
    await w.expectLinksDead(person.links);
    expect(await w.isLive(bystander.session)).toBe(true);
    expect(await w.store.accounts.get(person.id)).toMatchObject({ disabled: false });
    expect(await w.canLogin(person.username, PASSWORD)).toBe(true);
  });

  it("an account with nothing to revoke: 0, nothing written, audited", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const before = await w.snapshot();
    const audit = await auditOf(w, async () => {
      expect(await w.admin.revokeAccountSessions(person.user.id)).toBe(0);
    });
    expect(await w.snapshot()).toEqual(before);
    expect(audit).toEqual([
      { type: "sessions.revoked", username: person.username, count: 0, cause: "admin_revoke" },
      line("RevokeAccountSessions", "ok", person.user.id),
    ]);
  });
});

describe("DeleteAccountAsAdmin", () => {
  it("removes the account, its claims, sessions, links and devices: no record names it", async () => {
    const w = coreWorld();
    const person = await fullyEquipped(w);
    const bystander = await w.signedIn();
    const audit = await auditOf(w, () => w.admin.deleteAccountAsAdmin(person.id));
    expect(await w.recordsOf(person.id)).toEqual({});
    expect(audit).toEqual([
      { type: "account.deleted", username: person.username },
      { type: "sessions.revoked", username: person.username, count: 2, cause: "deletion" },
      line("DeleteAccountAsAdmin", "ok", person.id),
    ]);
    expect(await w.isLive(bystander.session)).toBe(true);
    await rejectsUnchanged(w, () => w.admin.deleteAccountAsAdmin(person.id), "ACCOUNT_NOT_FOUND");
  });

  it("the username and email are free again; the new account has a new id and inherits nothing", async () => {
    const w = coreWorld();
    const person = await fullyEquipped(w);
    await w.admin.deleteAccountAsAdmin(person.id);
    const again = await w.signedIn({ username: person.username, email: person.email });
    expect(again.user.id).not.toBe(person.id);
    expect(await w.recordsOf(person.id)).toEqual({});
    expect(await w.isLive(person.session)).toBe(false);
    await w.expectLinksDead(person.links);
    expect(await w.admin.listAccountSessions(again.user.id)).toHaveLength(1);
    expect(await w.devicesOf(again.user.id)).toHaveLength(1);
  });
});

describe("MarkEmailVerified", () => {
  it("marks the current address verified (the generation stays): the account may log in", async () => {
    const w = coreWorld();
    const person = await w.registered();
    await rejects(w.accounts.login({ ...person, client }), "EMAIL_NOT_VERIFIED");
    const before = await w.store.accounts.get(person.user.id);
    const audit = await auditOf(w, async () => {
      expect(await w.admin.markEmailVerified(person.user.id)).toEqual(
        await viewOf(w, person.user.id, 0),
      );
    });
    expect(await w.store.accounts.get(person.user.id)).toEqual({ ...before, verified: true });
    expect(audit).toEqual([line("MarkEmailVerified", "ok", person.user.id)]);
    expect(await w.canLogin(person.username, PASSWORD)).toBe(true);
  });

  it("a verified account: nothing changes", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const before = await w.snapshot();
    await w.admin.markEmailVerified(person.user.id);
    expect(await w.snapshot()).toEqual(before);
  });
});
