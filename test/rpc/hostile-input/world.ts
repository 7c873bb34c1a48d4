import type { RpcDriver } from "../../support/rpc-driver.js";
import { accountWithSession, client, resetToken, uid } from "./harness.js";

/**
 * The live (and dead) records one hostile request may aim at: two verified
 * accounts with sessions, an unverified one, and tokens both live and spent.
 * The single-request property rebuilds it whenever a request used it up.
 */
export interface World {
  username: string;
  email: string;
  password: string;
  session: string;
  deadSession: string;
  reset: string;
  otherUsername: string;
  otherEmail: string;
  otherPassword: string;
  otherSession: string;
  sessionId: string;
  unverifiedUsername: string;
  unverifiedEmail: string;
  unverifiedPassword: string;
  verification: string;
  spentVerification: string;
  spentReset: string;
  /** Device tokens: a's live one, b's, and one of a's that the reset revoked. */
  device: string;
  otherDevice: string;
  deadDevice: string;
}
export type Ref = keyof World;

export async function buildWorld(d: RpcDriver): Promise<World> {
  const p = `w${uid()}`;
  const secret = (label: string) => {
    const password = `${label} ${p} ✓ horse`;
    d.secrets.passwords.add(password);
    return password;
  };
  const [password, otherPassword, unverifiedPassword] = [secret("a"), secret("b"), secret("c")];
  const a = await accountWithSession(d, `${p}a`, password);
  const deadSession = (await a.login()).sessionToken;
  const deadDevice = a.device; // revoked by the reset below
  await d.must("grpc", "logout", { sessionToken: deadSession });
  const spentReset = await resetToken(d, a.email);
  await d.must("grpc", "resetPassword", { token: spentReset, newPassword: password, client });
  const { sessionToken: session, deviceToken: device } = await a.login();
  const reset = await resetToken(d, a.email);
  const b = await accountWithSession(d, `${p}b`, otherPassword);
  const [own] = (await d.must("grpc", "listSessions", { sessionToken: b.session })).sessions;
  // Unverified: it cannot log in here, so no session (accountWithSession would try).
  const unverifiedEmail = `${p}c@example.com`;
  const verification = await d.t.mailbox.tokenFrom(unverifiedEmail, "verification", () =>
    d.must("connect", "register", {
      username: `${p}c`,
      email: unverifiedEmail,
      password: unverifiedPassword,
      client,
    }),
  );
  for (const email of [a.email, b.email, unverifiedEmail]) d.secrets.emails.add(email);
  return {
    username: `${p}a`,
    email: a.email,
    password,
    session,
    deadSession,
    reset,
    otherUsername: `${p}b`,
    otherEmail: b.email,
    otherPassword,
    otherSession: b.session,
    sessionId: own?.id ?? "",
    unverifiedUsername: `${p}c`,
    unverifiedEmail,
    unverifiedPassword,
    verification,
    spentVerification: a.token,
    spentReset,
    device,
    otherDevice: b.device,
    deadDevice,
  };
}
