import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryAfterMs } from "../support/retry-info.js";
import { expectFailure } from "../support/rpc-errors.js";
import { type AccountClient, startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "rate limited correct horse";
const from = (ip: string) => ({ ip, userAgent: "rate-limit-test" });

async function expectLimited(call: Promise<unknown>): Promise<void> {
  const failure = await expectFailure(call, Code.ResourceExhausted, "RATE_LIMITED");
  const wait = retryAfterMs(failure) ?? 0;
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(60_000);
}

describe("rate limits (budgets per IP, per account, per email)", () => {
  let t: TestServer;
  let api: AccountClient;
  beforeAll(async () => {
    t = await startTestServer({
      env: {
        LIMIT_LOGIN_IP: "5/1m",
        LIMIT_LOGIN_ACCOUNT: "3/1m",
        LIMIT_REGISTER_IP: "2/1m",
        LIMIT_MAIL_EMAIL: "2/1m",
        LIMIT_MAIL_IP: "4/1m",
        LIMIT_MAIL_SENT: "3/1m",
      },
    });
    api = t.client("grpc");
    for (const username of ["known", "shared"]) {
      await api.register({
        username,
        email: `${username}.Person@example.com`,
        password: PASSWORD,
        client: from("192.0.2.200"),
      });
    }
  });
  afterAll(() => t?.close());

  it("Register: per IP; another IP is unaffected", async () => {
    const ip = "198.51.100.1";
    for (const n of [1, 2]) {
      await api.register({
        username: `reg-${n}`,
        email: `reg-${n}@example.com`,
        password: PASSWORD,
        client: from(ip),
      });
    }
    await expectLimited(
      api.register({
        username: "reg-3",
        email: "reg-3@example.com",
        password: PASSWORD,
        client: from(ip),
      }),
    );
    await api.register({
      username: "reg-4",
      email: "reg-4@example.com",
      password: PASSWORD,
      client: from("198.51.100.2"),
    });
  });

  it("Login: per account, known and unknown names alike, before any password check", async () => {
    for (const username of ["known", "nobody-here"]) {
      for (const n of [1, 2, 3]) {
        await expectFailure(
          api.login({ username, password: `wrong ${n}`, client: from(`203.0.113.${n}`) }),
          Code.Unauthenticated,
          "INVALID_CREDENTIALS",
        );
      }
      // The right password does not get past the limit either.
      await expectLimited(api.login({ username, password: PASSWORD, client: from("203.0.113.9") }));
    }
  });

  it("Login: the username and the email of one account share one budget", async () => {
    const names = ["shared", "SHARED.person@EXAMPLE.com", "shared.Person@example.com"];
    for (const [n, username] of names.entries()) {
      await expectFailure(
        api.login({ username, password: `wrong ${n}`, client: from(`203.0.113.${20 + n}`) }),
        Code.Unauthenticated,
        "INVALID_CREDENTIALS",
      );
    }
    for (const username of names) {
      await expectLimited(
        api.login({ username, password: PASSWORD, client: from("203.0.113.29") }),
      );
    }
  });

  it("Login: per IP, across accounts", async () => {
    const ip = "203.0.113.50";
    for (const n of [1, 2, 3, 4, 5]) {
      await expectFailure(
        api.login({ username: `user-${n}`, password: "wrong", client: from(ip) }),
        Code.Unauthenticated,
        "INVALID_CREDENTIALS",
      );
    }
    await expectLimited(api.login({ username: "user-6", password: "wrong", client: from(ip) }));
  });

  it("Login: IPv6 clients are counted per /64", async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      await expectFailure(
        api.login({ username: `v6-${n}`, password: "wrong", client: from(`2001:db8:1:2::${n}`) }),
        Code.Unauthenticated,
        "INVALID_CREDENTIALS",
      );
    }
    await expectLimited(
      api.login({ username: "v6-6", password: "wrong", client: from("2001:db8:1:2:ffff::1") }),
    );
    await expectFailure(
      api.login({ username: "v6-7", password: "wrong", client: from("2001:db8:1:3::1") }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
  });

  it("mail RPCs: per address from one requester, known and unknown alike, always OK below it", async () => {
    for (const [n, email] of ["known.person@example.com", "stranger@example.com"].entries()) {
      const requester = from(`192.0.2.${10 + n}`);
      await api.sendPasswordReset({ email, client: requester });
      await api.resendVerification({ email: email.toUpperCase(), client: requester });
      await expectLimited(api.sendPasswordReset({ email, client: requester }));
      // Another requester has a budget of its own for the same address.
      await api.sendPasswordReset({ email, client: from(`192.0.2.${20 + n}`) });
    }
  });

  it("an outsider spending its budget on an address does not block the owner's reset mail", async () => {
    const email = "shared.Person@example.com";
    const resets = () => t.mailbox.count(email, "password_reset");
    await t.settle();
    const before = resets();
    const outsider = from("198.51.100.200");
    await api.sendPasswordReset({ email, client: outsider });
    await api.sendPasswordReset({ email, client: outsider });
    await expectLimited(api.sendPasswordReset({ email, client: outsider }));
    // The owner, from their own address: still answered, and still mailed.
    const token = await t.mailbox.tokenFrom(email, "password_reset", () =>
      api.sendPasswordReset({ email, client: from("192.0.2.150") }),
    );
    expect(token).toMatch(/^uhr_/);
    expect(resets()).toBe(before + 3);
    // Past the address's ceiling (3 mails a minute here) requests from elsewhere
    // still get OK, but the mail is held back, so no one can flood the mailbox.
    await api.sendPasswordReset({ email, client: from("192.0.2.151") });
    await api.sendPasswordReset({ email, client: from("192.0.2.152") });
    await t.settle();
    expect(resets()).toBe(before + 3);
    const heldBack = t.logs.filter((line) => line.includes('"event":"mail.held_back"'));
    expect(heldBack).toHaveLength(2);
  });

  it("mail RPCs: per IP, across emails", async () => {
    const ip = "192.0.2.77";
    for (const n of [1, 2, 3, 4])
      await api.sendPasswordReset({ email: `m${n}@example.com`, client: from(ip) });
    await expectLimited(api.resendVerification({ email: "m5@example.com", client: from(ip) }));
  });

  it("an empty client ip falls back to the connection's address", async () => {
    const local = { ip: "", userAgent: "" };
    for (const n of [1, 2, 3, 4, 5]) {
      await expectFailure(
        api.login({ username: `local-${n}`, password: "wrong", client: local }),
        Code.Unauthenticated,
        "INVALID_CREDENTIALS",
      );
    }
    await expectLimited(
      api.login({ username: "local-6", password: "wrong", client: from("127.0.0.1") }),
    );
  });
});
