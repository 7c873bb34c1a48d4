import { z } from "zod";
import { ACCESS } from "./access.js";
import { ACCOUNTS } from "./accounts.js";
import { ASSERTIONS } from "./assertions.js";
import { CONNECTIONS } from "./connections.js";
import { LIMITS } from "./limits.js";
import { MAIL } from "./mail.js";
import { MONGODB } from "./mongodb.js";
import { OBSERVABILITY } from "./observability.js";
import { SERVER } from "./server.js";

/**
 * Every variable: its type and range (the schema), its default as it would be
 * typed in the environment (`.default()`, or `.prefault()` where the text is
 * then parsed), and its meaning (`.meta()`; `secret` values are never echoed).
 * One file per topic beside this one; a new topic is a new file and one line
 * here. The order here is docs/configuration.md's table's (scripts/config-table.ts).
 */
export const ENVIRONMENT = z.object({
  ...SERVER.shape,
  ...ACCOUNTS.shape,
  ...ASSERTIONS.shape,
  ...MAIL.shape,
  ...MONGODB.shape,
  ...ACCESS.shape,
  ...LIMITS.shape,
  ...CONNECTIONS.shape,
  ...OBSERVABILITY.shape,
});

export type Environment = z.output<typeof ENVIRONMENT>;

/** Never echoed back in an error message. */
const SECRET_VARIABLES = new Set(
  Object.entries(ENVIRONMENT.shape)
    .filter(([, schema]) => schema.meta()?.secret === true)
    .map(([name]) => name),
);

/** A bad variable. Its message is the one line printed before exiting. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`config: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

/** Parses the variables `schema` knows (an empty value counts as unset); throws ConfigError naming the first bad one. */
export function parse<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const input = Object.fromEntries(
    Object.keys(schema.shape).map((name) => [name, env[name] || undefined]),
  );
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0]);
  const raw = env[name] ?? "";
  const shown = SECRET_VARIABLES.has(name) ? "" : ` (got ${JSON.stringify(raw.slice(0, 80))})`;
  throw new ConfigError(name, `${issue?.message ?? "is invalid"}${shown}`);
}

/** Every variable's default, parsed (undefined where a variable has none). */
export const DEFAULTS: Environment = parse(ENVIRONMENT, {});
