import type { AccountContext, ClientInfo } from "../context.js";
import type { User } from "../domain/account.js";
import { canonicalUsername, parseEmail } from "../domain/identity.js";
import { newToken } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { DuplicateError } from "../ports/user-store.js";
import { acceptNewPassword } from "./password-check.js";
import { enforceLimits } from "./throttling.js";
import { inTransaction } from "./transaction.js";

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  client: ClientInfo;
}

/**
 * Creates an unverified account and queues its verification mail. An email that
 * already has an account gets a notice mail instead, and the caller sees the
 * same answer as for a fresh registration, so Register never reveals which
 * emails are registered. Field errors come before USERNAME_TAKEN.
 */
export async function register(ctx: AccountContext, input: RegisterInput): Promise<User> {
  await enforceLimits(ctx, input.client.ip, [["register_ip", input.client.ip]]);
  const username = canonicalUsername(input.username);
  const email = parseEmail(input.email);
  const password = acceptNewPassword(ctx, input.password, { username, emailKey: email.key });
  // Hash before the transaction (it is slow), and on both paths (so they cost the same).
  const passwordHash = await ctx.hasher.hash(password);
  const token = newToken("verification");
  const now = ctx.clock.now();
  const user: User = {
    username,
    email: email.address,
    emailKey: email.key,
    verified: false,
    createdAt: now,
  };

  let created = false;
  const attempt = () =>
    inTransaction(ctx, async (tx, postMail) => {
      const owner = await tx.getUserByEmail(email.key);
      if (owner) {
        await postMail({ kind: "registration_attempt", to: owner.email, username: owner.username });
        return;
      }
      try {
        await tx.createUser({ ...user, passwordHash });
      } catch (error) {
        if (error instanceof DuplicateError && error.field === "username") {
          throw new AccountError("USERNAME_TAKEN", { field: "username" });
        }
        throw error;
      }
      await tx.setEmailVerification({
        username,
        tokenHash: ctx.tokens.hash(token),
        expiresAt: new Date(now.getTime() + ctx.settings.verificationTtlMs),
      });
      await postMail({ kind: "verification", to: email.address, username, token });
      created = true;
    });
  try {
    await attempt();
  } catch (error) {
    // A concurrent registration took the email between our check and insert:
    // run again, which now takes the notice path.
    if (!(error instanceof DuplicateError && error.field === "email")) throw error;
    await attempt();
  }
  if (created) ctx.events.emit({ type: "account.registered", username, ip: input.client.ip });
  return user;
}
