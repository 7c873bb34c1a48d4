import { AccountService } from "@userharbor/client";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { ServerReflection } from "@userharbor/client/grpc/reflection/v1/reflection_pb.js";
import { describe, expect, it } from "vitest";
import { apiKeysSchema, type Scope } from "../../src/rpc/api-key-config.js";
import {
  acceptedHeaderKeys,
  authenticate,
  authorize,
  type Caller,
  isOpenMethod,
  OPEN_CALLER,
} from "../../src/rpc/api-keys.js";
import { callPipeline } from "../../src/rpc/pipeline.js";

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

describe("methods open without a key", () => {
  it("are exactly AccountService.GetSessionKeys, of every method the server routes", () => {
    const { services } = callPipeline({
      apiKeys: [],
      shutdownSignal: new AbortController().signal,
    } as unknown as Parameters<typeof callPipeline>[0]);
    const open = services
      .flatMap(({ service }) => service.methods)
      .filter((method) => isOpenMethod(method))
      .map((method) => `${method.parent.typeName}/${method.name}`);
    expect(open).toEqual(["userharbor.v1.AccountService/GetSessionKeys"]);
  });
});

/** Who a header names, through the memo of accepted headers the hot path uses. */
describe("API key authentication", () => {
  const web = "w".repeat(24);
  const ops = "o".repeat(24);
  const keys = apiKeysSchema.parse(`web=${web}:accounts;ops=${ops}:admin`);
  const who = (header: string | null) => {
    try {
      return authenticate(keys, AccountService.typeName, header)?.name;
    } catch (error) {
      return (error as { reason?: string }).reason;
    }
  };

  it("names the key on every call, and a remembered header never stands in for another", () => {
    for (let i = 0; i < 3; i++) {
      expect(who(`Bearer ${web}`)).toBe("web");
      expect(who(`Bearer ${ops}`)).toBe("ops");
      expect(who(`Bearer ${web.slice(1)}x`)).toBe("INVALID_API_KEY");
      expect(who(`Bearer ${web} `)).toBe("INVALID_API_KEY");
      expect(who(null)).toBe("INVALID_API_KEY");
      expect(who("")).toBe("INVALID_API_KEY");
    }
  });

  it("keeps answering when more spellings of valid headers arrive than it remembers", () => {
    const spellings = [
      "Bearer",
      "bearer",
      "BEARER",
      "bEARER",
      "BeArEr",
      "beaRER",
      "BEArer",
      "bearER",
      "BEARer",
    ];
    for (const prefix of spellings) expect(who(`${prefix} ${web}`)).toBe("web");
    for (const prefix of spellings) expect(who(`${prefix} ${ops}`)).toBe("ops");
  });
});

describe("the accepted-header cache", () => {
  it("holds digests of accepted headers, never a raw key", () => {
    const raw = "web-key-that-must-never-stay-in-memory-0001";
    const keys = apiKeysSchema.parse(`web=${raw}:accounts`);
    for (let i = 0; i < 3; i++) {
      expect(authenticate(keys, AccountService.typeName, `Bearer ${raw}`)?.name).toBe("web");
    }
    const cached = acceptedHeaderKeys(keys);
    expect(cached).toHaveLength(1);
    for (const entry of cached) {
      expect(entry).not.toContain(raw);
      expect(entry).not.toContain(raw.slice(0, 12));
      expect(entry).toMatch(/^[A-Za-z0-9+/]{43}=$/); // a SHA-256, base64
    }
    // A refused key is not cached at all.
    expect(() => authenticate(keys, AccountService.typeName, "Bearer wrong")).toThrow();
    expect(acceptedHeaderKeys(keys)).toHaveLength(1);
  });
});
