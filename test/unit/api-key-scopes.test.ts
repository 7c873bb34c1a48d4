import { AccountService } from "@userharbor/client";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { ServerReflection } from "@userharbor/client/grpc/reflection/v1/reflection_pb.js";
import { describe, expect, it } from "vitest";
import type { Scope } from "../../src/rpc/api-key-config.js";
import { authorize, type Caller, OPEN_CALLER } from "../../src/rpc/api-keys.js";

const caller = (...scopes: Scope[]): Caller => ({ name: "k", scopes: new Set(scopes) });
const reasonOf = (service: string, who: Caller | undefined) => {
  try {
    authorize(service, who);
    return "OK";
  } catch (error) {
    return (error as { reason?: string }).reason;
  }
};

/** The service -> scope table, including what it does with a service it does not list. */
describe("API key scopes", () => {
  it.each([
    [Health.typeName, "no key", "OK"],
    [ServerReflection.typeName, "a key without scopes", "OK"],
    [ServerReflection.typeName, "no key", "MISSING_SCOPE"],
    [AccountService.typeName, "accounts", "OK"],
    [AccountService.typeName, "admin,client-ip", "MISSING_SCOPE"],
    [AccountService.typeName, "open (no keys configured)", "OK"],
    ["userharbor.v1.NotInTheTable", "open (no keys configured)", "MISSING_SCOPE"],
  ])("%s, called with %s: %s", (service, who, expected) => {
    const scopes = who
      .split(",")
      .filter((s): s is Scope => s === "accounts" || s === "admin" || s === "client-ip");
    const called = who.startsWith("open")
      ? OPEN_CALLER
      : who === "no key"
        ? undefined
        : caller(...scopes);
    expect(reasonOf(service, called)).toBe(expected);
  });
});
