import type { AccountClient } from "./test-server.js";

type Credentials = Pick<Parameters<AccountClient["login"]>[0], "username" | "password" | "client">;

/**
 * Registers `username` (email `username@example.com`) and logs in, for tests that need a
 * session and not the verification flow: the server must run with REQUIRE_VERIFIED_EMAIL=false.
 * Returns the session token.
 */
export async function signUp(api: AccountClient, credentials: Credentials): Promise<string> {
  await api.register({ ...credentials, email: `${credentials.username}@example.com` });
  return (await api.login(credentials)).sessionToken;
}
