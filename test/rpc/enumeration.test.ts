import { type CallOptions, Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../support/rpc-errors.js";
import { PROTOCOLS, startTestServer, type TestServer } from "../support/test-server.js";

const client = { ip: "192.0.2.9", userAgent: "enumeration-test" };
const PASSWORD = "known user's correct horse";

type Observed = { message: unknown; header: [string, string][]; trailer: [string, string][] };

/** Everything a caller sees of an answer: message, headers and trailers (minus the clock and the per-request id). */
async function observe(call: (options: CallOptions) => Promise<object>): Promise<Observed> {
  const seen: Observed = { message: undefined, header: [], trailer: [] };
  const keep = (h: Headers) =>
    [...h.entries()].filter(([name]) => name !== "date" && name !== "x-request-id");
  seen.message = JSON.parse(
    JSON.stringify(
      await call({
        onHeader: (h) => {
          seen.header = keep(h);
        },
        onTrailer: (t) => {
          seen.trailer = keep(t);
        },
      }),
    ),
  );
  return seen;
}

describe.each(PROTOCOLS)("no account enumeration over %s", (protocol) => {
  let t: TestServer;
  const known = `known-${protocol}@example.com`;
  const unknown = `unknown-${protocol}@example.com`;
  beforeAll(async () => {
    t = await startTestServer();
    await t
      .client(protocol)
      .register({ username: `known-${protocol}`, email: known, password: PASSWORD, client });
    await t.settle();
  });
  afterAll(() => t?.close());

  it("SendPasswordReset answers known and unknown emails identically, and mails only the known one", async () => {
    const api = t.client(protocol);
    const before = t.mailbox.count(known, "password_reset");
    const a = await observe((o) => api.sendPasswordReset({ email: known, client }, o));
    const b = await observe((o) => api.sendPasswordReset({ email: unknown, client }, o));
    expect(a).toEqual(b);
    await t.mailbox.next(known, "password_reset", before);
    await t.settle();
    expect(t.mailbox.count(unknown)).toBe(0);
  });

  it("ResendVerification answers known and unknown emails identically, and mails only the known one", async () => {
    const api = t.client(protocol);
    const before = t.mailbox.count(known, "verification");
    const a = await observe((o) => api.resendVerification({ email: known, client }, o));
    const b = await observe((o) => api.resendVerification({ email: unknown, client }, o));
    expect(a).toEqual(b);
    await t.mailbox.next(known, "verification", before);
    await t.settle();
    expect(t.mailbox.count(unknown)).toBe(0);
  });

  it("Register with a registered email looks like a fresh registration and mails the owner a notice", async () => {
    const api = t.client(protocol);
    const fresh = await api.register({
      username: `fresh-${protocol}`,
      email: `fresh-${protocol}@example.com`,
      password: PASSWORD,
      client,
    });
    const taken = await api.register({
      username: `squatter-${protocol}`,
      email: known.toUpperCase(),
      password: PASSWORD,
      client,
    });
    const shape = (u: typeof fresh.user) => ({
      verified: u?.emailVerified,
      hasTime: u?.createTime !== undefined,
    });
    expect(shape(taken.user)).toEqual(shape(fresh.user));
    expect(taken.user).toMatchObject({
      username: `squatter-${protocol}`,
      email: known.toUpperCase(),
      emailVerified: false,
    });
    const notice = await t.mailbox.next(known, "registration_attempt");
    expect(notice.username).toBe(`known-${protocol}`);
    // No account was created for the squatter.
    await expectFailure(
      api.login({ username: `squatter-${protocol}`, password: PASSWORD, client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
  });

  it("Login with an unknown user and with a wrong password fail identically", async () => {
    const api = t.client(protocol);
    const a = await expectFailure(
      api.login({ username: `known-${protocol}`, password: "wrong password!", client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
    const b = await expectFailure(
      api.login({ username: "nobody-at-all", password: "wrong password!", client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
    expect(a.message).toBe(b.message);
  });
});
