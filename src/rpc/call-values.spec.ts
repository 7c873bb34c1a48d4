import { type ContextValues, createContextKey, createContextValues } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { CallValues } from "./call-values.js";

/** One sequence of reads and writes; what it read. */
function story(values: ContextValues): unknown[] {
  const count = createContextKey(0);
  const name = createContextKey<string | undefined>("default name");
  const other = createContextKey(0); // same default, a different key
  const read = () => [values.get(count), values.get(name), values.get(other)];
  const seen = [read()];
  expect(values.set(count, 2).set(name, "set")).toBe(values);
  seen.push(read());
  values.set(name, undefined); // set to undefined: not the default
  seen.push(read());
  expect(values.delete(name)).toBe(values);
  seen.push(read());
  return seen;
}

describe("CallValues: connect's context values as a class", () => {
  it("reads as connect's createContextValues() does", () => {
    expect(story(new CallValues())).toEqual(story(createContextValues()));
    expect(story(new CallValues())).toEqual([
      [0, "default name", 0],
      [2, "set", 0],
      [2, undefined, 0],
      [2, "default name", 0],
    ]);
  });

  it("keeps each call's values to itself", () => {
    const key = createContextKey("none");
    const a = new CallValues().set(key, "a");
    expect(new CallValues().get(key)).toBe("none");
    expect(a.get(key)).toBe("a");
  });
});
