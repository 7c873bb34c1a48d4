import type { AccountContext, ClientInfo } from "../context.js";
import type { Account } from "../domain/account.js";
import { newAccountId } from "../domain/account-id.js";
import { canonicalUsername, parseEmail } from "../domain/identity.js";
import { AccountError } from "../errors.js";
import { DuplicateError } from "../ports/account-store.js";
import { acceptNewPassword } from "./password-check.js";
import { inTransaction, postCappedMail, RECORDS_EVENTS, recordEvent } from "./transaction.js";
import { mailVerificationLink } from "./verify-email.js";

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
export async function register(ctx: AccountContext, input: RegisterInput): Promise<Account> {
  await ctx.limits.enforce(ctx.audit, input.client.ip, [["register_ip", input.client.ip]]);
  const username = canonicalUsername(input.username);
  const email = parseEmail(input.email);
  const password = acceptNewPassword(ctx, input.password, { username, emailKey: email.key });
  // Hash before the transaction (it is slow), and on both paths (so they cost the same).
  const passwordHash = await ctx.hasher.hash(password);
  const now = ctx.clock.now();
  const user: Account = {
    id: newAccountId(),
    username,
    email: email.address,
    emailKey: email.key,
    verified: false,
    disabled: false,
    createdAt: now,
    credentialGeneration: 0,
    lastLoginAt: null,
  };

  let created = false;
  const attempt = () =>
    inTransaction(
      ctx,
      async (tx, postMail) => {
        const owner = await tx.accounts.findByEmail(email.key);
        if (owner) {
          await postCappedMail(ctx, postMail, {
            kind: "registration_attempt",
            to: owner.email,
            username: owner.username,
          });
          return;
        }
        try {
          await tx.accounts.create({ ...user, passwordHash });
        } catch (error) {
          if (error instanceof DuplicateError && error.field === "username") {
            throw new AccountError("USERNAME_TAKEN", { field: "username" });
          }
          throw error;
        }
        await recordEvent(ctx, tx, "account.registered", user);
        await mailVerificationLink(ctx, tx, postMail, user, email.address, false);
        created = true;
      },
      RECORDS_EVENTS,
    );
  try {
    await attempt();
  } catch (error) {
    // A concurrent registration took the email between our check and insert:
    // run again, which now takes the notice path.
    if (!(error instanceof DuplicateError && error.field === "email")) throw error;
    await attempt();
  }
  if (created) ctx.audit.emit({ type: "account.registered", username, ip: input.client.ip });
  return user;
}
