import { type FieldError, type HttpProblem, LOCAL_PROBLEMS } from "./problems.js";

/** The largest login body read: a username or email and a password fit many times over. */
export const LOGIN_BODY_MAX_BYTES = 8 * 1024;

export interface LoginCredentials {
  username: string;
  password: string;
}

const isJson = (contentType: string | undefined) =>
  /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType ?? "");

/**
 * `{"username": ..., "password": ...}` from a login request: `body` is what the
 * framework parsed (an object), or the raw text (parsed here, JSON content
 * types only). Anything else is 400 INVALID_REQUEST, naming the fields.
 */
export function readLoginBody(
  body: unknown,
  contentType: string | undefined,
): LoginCredentials | { problem: HttpProblem } {
  let value = body;
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    if (!isJson(contentType)) {
      return {
        problem: LOCAL_PROBLEMS.invalidRequest("Send JSON (Content-Type: application/json)."),
      };
    }
    try {
      value = JSON.parse(body.toString());
    } catch {
      return { problem: LOCAL_PROBLEMS.invalidRequest("The body is not valid JSON.") };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      problem: LOCAL_PROBLEMS.invalidRequest(
        'Send a JSON object {"username": ..., "password": ...}.',
      ),
    };
  }
  const { username, password } = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (typeof username !== "string" || username === "")
    errors.push({ field: "username", description: "a non-empty string is required" });
  if (typeof password !== "string" || password === "")
    errors.push({ field: "password", description: "a non-empty string is required" });
  if (errors.length > 0) {
    return {
      problem: LOCAL_PROBLEMS.invalidRequest("Username and password are required.", errors),
    };
  }
  return { username: username as string, password: password as string };
}
