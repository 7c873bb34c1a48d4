import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { ErrorInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";
import { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import { createSessionVerifier } from "@userharbor/sdk";

const baseUrl = `http://${process.env.USERHARBOR_ADDR ?? "127.0.0.1:50051"}`;
const transport =
  process.env.USERHARBOR_PROTOCOL === "connect"
    ? createConnectTransport({ baseUrl, httpVersion: "1.1" }) // Connect, HTTP/1.1
    : createGrpcTransport({ baseUrl }); // gRPC, HTTP/2
const accounts = createClient(AccountService, transport);
// Operators' RPCs: with API keys configured, this client needs a key with the `admin` scope.
const admin = createClient(AdminService, transport);

const username = `ts-${randomBytes(4).toString("hex")}`;
const email = `${username}@example.com`;
const password = "correct horse battery staple";
const { user } = await accounts.register({ username, email, password });

// ---------------------------------------------------------------------------------------------
// The rest of the lifecycle: `npx tsx examples/typescript/lifecycle.ts` from the repository root,
// with a server started with the same DEV_MAILBOX_FILE (USERHARBOR_PROTOCOL: grpc | connect).

const protocol = process.env.USERHARBOR_PROTOCOL ?? "grpc";
if (protocol !== "grpc" && protocol !== "connect") fail(`USERHARBOR_PROTOCOL=${protocol}?`);
const mailbox = process.env.DEV_MAILBOX_FILE ?? fail("set DEV_MAILBOX_FILE to the server's");

/** Prints why and exits non-zero: every mismatch ends the program here. */
function fail(why: string): never {
  console.error(`FAIL: ${why}`);
  process.exit(1);
}

function expect(what: string, got: unknown, want: unknown): void {
  if (got !== want) fail(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

function ok(step: string, detail = ""): void {
  console.log(`ok  ${step.padEnd(18)} ${detail}`);
}

/** Polls the dev mailbox file (one JSON line per mail) for the token mailed to `to`. */
async function tokenFromMailbox(kind: string, to: string): Promise<string> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const text = await readFile(mailbox, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return ""; // no mail written yet
      throw error;
    });
    for (const line of text.split("\n").slice(0, -1)) {
      const mail = JSON.parse(line) as { kind: string; to: string; token?: string };
      if (mail.kind === kind && mail.to === to && mail.token) return mail.token;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return fail(`no ${kind} mail for ${to} in ${mailbox} within 10 s`);
}

expect("Register user.username", user?.username, username);
expect("Register user.emailVerified", user?.emailVerified, false);
// The account's permanent id (UUIDv7): what a backend stores as its foreign key.
const id = user?.id ?? fail("Register gave no user id");
ok("Register", `${username} (${id}) over ${protocol}`);

const verificationToken = await tokenFromMailbox("verification", email);
const verified = await accounts.verifyEmail({ token: verificationToken });
expect("VerifyEmail user.emailVerified", verified.user?.emailVerified, true);
ok("VerifyEmail", email);

const login = await accounts.login({ username, password });
expect("Login user.username", login.user?.username, username);
expect("Login token prefix", login.sessionToken.slice(0, 4), "uhs_");
expect("Login device token prefix", login.deviceToken.slice(0, 4), "uhd_");
const { sessionToken } = login;
ok("Login", `session until ${login.expireTime && timestampDate(login.expireTime).toISOString()}`);

const session = await accounts.verifySession({ sessionToken });
expect("VerifySession valid", session.valid, true);
expect("VerifySession username", session.username, username);
expect("VerifySession userId", session.userId, id);
ok("VerifySession", "valid");

// Session assertions (@userharbor/sdk): Login's signed assertion checks the session locally,
// against the published key set, with no VerifySession per request until it expires.
const verifier = createSessionVerifier({
  jwksUrl: `${baseUrl}/.well-known/jwks.json`,
  issuer: "userharbor",
  client: accounts, // asked only when the assertion is stale (or in strict mode)
});
const checked = await verifier.check(sessionToken, login.sessionAssertion);
expect("check fromServer", checked?.fromServer, false);
expect("check user.accountId", checked?.user.accountId, id);
expect("check user.emailVerified", checked?.user.emailVerified, true);
ok("SessionAssertion", `verified locally until ${checked?.user.expiresAt.toISOString()}`);

const current = await accounts.getCurrentUser({ sessionToken });
expect("GetCurrentUser email", current.user?.email, email);
expect("GetCurrentUser emailVerified", current.user?.emailVerified, true);
ok("GetCurrentUser", current.user?.username);

const changed = "second correct horse battery";
await accounts.changePassword({ sessionToken, oldPassword: password, newPassword: changed });
ok("ChangePassword");

const { revokedCount } = await accounts.logoutAll({ sessionToken });
expect("LogoutAll revokedCount", revokedCount, 1);
expect("session after LogoutAll", (await accounts.verifySession({ sessionToken })).valid, false);
ok("LogoutAll", `${revokedCount} session revoked`);

await accounts.sendPasswordReset({ email });
const resetToken = await tokenFromMailbox("password_reset", email);
ok("SendPasswordReset", "token read from the mailbox");

const reset = "third correct horse battery";
await accounts.resetPassword({ token: resetToken, newPassword: reset });
ok("ResetPassword");

const relogin = await accounts.login({ username, password: reset });
expect("Login (new password) user.username", relogin.user?.username, username);
ok("Login", "with the reset password");

// ChangeEmail mails a link to the new address; the email changes when VerifyEmail uses it,
// and every other session ends: the one passed as sessionToken stays.
const newEmail = `${username}.new@example.com`;
await accounts.changeEmail({ sessionToken: relogin.sessionToken, password: reset, newEmail });
// Opened from this session, the confirmation keeps it; every other session ends.
const moved = await accounts.verifyEmail({
  token: await tokenFromMailbox("verification", newEmail),
  sessionToken: relogin.sessionToken,
});
expect("ChangeEmail user.email", moved.user?.email, newEmail);
expect("ChangeEmail user.id", moved.user?.id, id);
ok("ChangeEmail", `now ${newEmail}`);

// ---- Admin API: look the account up, disable it (its session ends, login refused), enable it.
const found = await admin.getAccount({ lookup: { case: "username", value: username } });
expect("GetAccount account.id", found.account?.id, id);
expect("GetAccount liveSessionCount", found.account?.liveSessionCount, 1);
ok("GetAccount", `${found.account?.username}, ${found.account?.liveSessionCount} live session`);

let listed = false;
let pageToken = "";
do {
  const page = await admin.listAccounts({ pageSize: 100, pageToken, verified: true });
  listed ||= page.accounts.some((account) => account.id === id);
  pageToken = page.nextPageToken;
} while (pageToken && !listed);
expect("ListAccounts (verified) includes the account", listed, true);
ok("ListAccounts", "found among verified accounts");

await admin.disableAccount({ accountId: id, reason: "SDK example" });
const dead = await accounts.verifySession({ sessionToken: relogin.sessionToken });
expect("session after DisableAccount", dead.valid, false);
const refused = await accounts.login({ username, password: reset }).then(
  () => fail("Login of a disabled account succeeded"),
  (error: unknown) => ConnectError.from(error),
);
expect(
  "disabled Login reason",
  refused.findDetails(ErrorInfoSchema)[0]?.reason,
  "ACCOUNT_DISABLED",
);
ok("DisableAccount", `Login: ${Code[refused.code]} ACCOUNT_DISABLED`);

await admin.enableAccount({ accountId: id });
const back = await accounts.login({ username, password: reset });
ok("EnableAccount", "Login works again");

await accounts.deleteAccount({ sessionToken: back.sessionToken, password: reset });
ok("DeleteAccount");

// A failed call rejects with a ConnectError; the reason is in its google.rpc.ErrorInfo detail.
const failure = await accounts.login({ username, password: reset }).then(
  () => fail("Login after DeleteAccount succeeded"),
  (error: unknown) => ConnectError.from(error),
);
const [info] = failure.findDetails(ErrorInfoSchema);
expect("failed Login code", Code[failure.code], Code[Code.Unauthenticated]);
expect("failed Login ErrorInfo.domain", info?.domain, "userharbor.v1");
expect("failed Login ErrorInfo.reason", info?.reason, "INVALID_CREDENTIALS");
ok("Login (deleted)", `${Code[failure.code]} ${info?.reason}`);

console.log(`lifecycle complete over ${protocol}`);
