/**
 * The one config module: every environment variable, its default and its
 * meaning in one zod schema (merged from one file per topic in
 * environment.ts), validated at start. A bad value stops the start with one
 * line naming the variable (ConfigError).
 */

export type { HttpLimits } from "./connections.js";
export { ConfigError, DEFAULTS, ENVIRONMENT, type Environment } from "./environment.js";
export { type Config, listenerAddress, loadConfig } from "./load.js";
