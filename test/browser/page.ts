/**
 * The browser side of test/browser/chromium.test.ts, bundled by esbuild into the page a
 * Chromium tab loads from another origin: what a web app does with connect-web and the
 * generated client. It runs one short scenario and hands back what it saw; the test asserts.
 */
import { ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { AccountService } from "@userharbor/client";
import { ErrorInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";

export interface ScenarioInput {
  baseUrl: string;
  protocol: "connect" | "grpc-web";
  /** An accounts-scoped API key, sent as `authorization: Bearer` (a preflighted header). */
  apiKey: string;
  username: string;
}

export interface Outcome {
  registered?: { username: string; emailVerified: boolean };
  session?: { valid: boolean; username: string };
  failedLogin?: { code: string; domain?: string; reason?: string };
  /** `x-request-id` of each answer, as the page could read it (an exposed header). */
  requestIds: (string | null)[];
  /** The first call that failed unexpectedly (e.g. CORS refused it). */
  error?: { code: string; message: string };
}

async function scenario(input: ScenarioInput): Promise<Outcome> {
  const outcome: Outcome = { requestIds: [] };
  let sent = 0;
  const headers: Interceptor = (next) => async (req) => {
    req.header.set("authorization", `Bearer ${input.apiKey}`);
    req.header.set("x-request-id", `page-${++sent}`);
    try {
      const res = await next(req);
      outcome.requestIds.push(res.header.get("x-request-id"));
      return res;
    } catch (error) {
      outcome.requestIds.push(ConnectError.from(error).metadata.get("x-request-id"));
      throw error;
    }
  };
  const options = { baseUrl: input.baseUrl, interceptors: [headers] };
  const transport =
    input.protocol === "connect"
      ? createConnectTransport(options)
      : createGrpcWebTransport(options);
  const accounts = createClient(AccountService, transport);
  const { username } = input;
  const password = "correct horse battery staple";
  try {
    const { user } = await accounts.register({
      username,
      email: `${username}@example.com`,
      password,
    });
    outcome.registered = {
      username: user?.username ?? "",
      emailVerified: Boolean(user?.emailVerified),
    };
    const { sessionToken } = await accounts.login({ username, password });
    const session = await accounts.verifySession({ sessionToken });
    outcome.session = { valid: session.valid, username: session.username };
  } catch (error) {
    const failure = ConnectError.from(error);
    outcome.error = { code: String(failure.code), message: failure.message };
    return outcome;
  }
  try {
    await accounts.login({ username, password: "not the password at all" });
  } catch (error) {
    const failure = ConnectError.from(error);
    const [info] = failure.findDetails(ErrorInfoSchema);
    outcome.failedLogin = {
      code: String(failure.code),
      ...(info && { domain: info.domain, reason: info.reason }),
    };
  }
  return outcome;
}

(globalThis as { userharbor?: unknown }).userharbor = { scenario };
