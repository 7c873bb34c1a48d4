import { type Logger, pino } from "pino";

/**
 * Structured JSON logs (pino). Nothing secret is ever passed to a log call;
 * redaction is the second line of defence should a request or error object
 * slip into one with a field named like a secret.
 */
const REDACT = [
  "password",
  "oldPassword",
  "newPassword",
  "token",
  "sessionToken",
  "email",
  "authorization",
  "*.password",
  "*.oldPassword",
  "*.newPassword",
  "*.token",
  "*.sessionToken",
  "*.email",
  "*.authorization",
  'headers["authorization"]',
];

export function createLogger(level: string, destination?: { write(line: string): void }): Logger {
  const options = {
    level,
    base: { service: "userharbor" },
    redact: { paths: REDACT, censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}
