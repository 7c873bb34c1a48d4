/**
 * Guards every value put in a query position. The port's types say string, but
 * a value that arrives from JSON as an object (`{"$gt": ""}`) would be read by
 * MongoDB as an operator and match other people's records; refuse it instead.
 * Strings are always matched literally, whatever they contain (`$where`, `a.b`).
 */
export function literal(value: unknown): string {
  if (typeof value !== "string") {
    throw new TypeError(`store query values must be strings, got ${typeof value}`);
  }
  return value;
}
