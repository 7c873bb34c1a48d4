import type { IncomingHttpHeaders } from "node:http2";
import { describe, expect, it } from "vitest";
import { requestHeaders, responseHeaders } from "./headers.js";

/** Headers as node:http2 hands them to a stream handler. */
const incoming = (): IncomingHttpHeaders => ({
  ":method": "POST",
  ":path": "/grpc.health.v1.Health/Check",
  ":authority": "127.0.0.1:5000",
  "content-type": "application/grpc",
  authorization: "Bearer k",
  "x-multi": ["a", "b"] as unknown as string,
  te: "trailers",
});

const pairs = (h: Headers) => {
  const out: Array<[string, string]> = [];
  h.forEach((value, name) => {
    out.push([name, value]);
  });
  return out;
};

describe("requestHeaders: node's request headers as a WHATWG Headers view", () => {
  it("reads as a real Headers built from the same metadata would", () => {
    const view = requestHeaders(incoming());
    const real = new Headers([
      ["content-type", "application/grpc"],
      ["authorization", "Bearer k"],
      ["x-multi", "a"],
      ["x-multi", "b"],
      ["te", "trailers"],
    ]);
    for (const name of ["Content-Type", "authorization", "x-multi", "te", "missing"]) {
      expect(view.get(name)).toBe(real.get(name));
      expect(view.has(name)).toBe(real.has(name));
    }
    expect(pairs(view)).toEqual(pairs(real));
  });

  it("hides HTTP/2 pseudo-headers, as Connect does", () => {
    const view = requestHeaders(incoming());
    expect(view.get(":path")).toBeNull();
    expect(view.has(":authority")).toBe(false);
    expect(pairs(view).map(([name]) => name)).not.toContain(":method");
  });

  it("takes writes into a real Headers that keeps what was there, leaving node's object alone", () => {
    const node = incoming();
    const view = requestHeaders(node);
    view.set("x-added", "1");
    view.delete("authorization");
    view.append("x-multi", "c");
    expect(view.get("x-added")).toBe("1");
    expect(view.get("authorization")).toBeNull();
    expect(view.get("x-multi")).toBe("a, b, c");
    expect(view.get("content-type")).toBe("application/grpc");
    expect([...view.keys()]).toEqual(["content-type", "te", "x-added", "x-multi"]);
    expect(node.authorization).toBe("Bearer k");
    expect(node["x-added"]).toBeUndefined();
  });

  it("copies a Headers made from it (an interceptor's `new Headers(req.header)`)", () => {
    const copy = new Headers(requestHeaders(incoming()));
    expect(copy.get("authorization")).toBe("Bearer k");
    expect(copy.get("x-multi")).toBe("a, b");
  });
});

describe("responseHeaders: metadata a handler may set", () => {
  it("starts empty and reports what the handler set", () => {
    const h = responseHeaders();
    expect(pairs(h)).toEqual([]);
    h.set("X-Handler", "saw-it");
    expect(pairs(h)).toEqual([["x-handler", "saw-it"]]);
    expect([...h]).toEqual([["x-handler", "saw-it"]]);
  });
});
