import type { IncomingHttpHeaders } from "node:http2";

/** Request metadata as Connect hands it to interceptors: pseudo-headers left out. */
export function requestHeaders(headers: IncomingHttpHeaders): Headers {
  return new LazyHeaders(headers) as unknown as Headers;
}

/** Response metadata a handler may set (nearly every call sets none). */
export function responseHeaders(): Headers {
  return new LazyHeaders({}) as unknown as Headers;
}

/**
 * A WHATWG `Headers` view of node's header object. Building real ones (validation per
 * header; two more per call for the response, walked when answering) showed in this path's
 * profile, and calls mostly only read; the first write copies into a real `Headers`, which
 * then answers everything.
 */
class LazyHeaders {
  #real: Headers | undefined;

  constructor(private readonly node: IncomingHttpHeaders) {}

  get(name: string): string | null {
    if (this.#real) return this.#real.get(name);
    const key = name.toLowerCase();
    if (key.charCodeAt(0) === 58 /* ":" */) return null;
    const value = this.node[key];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    return this.real().getSetCookie();
  }

  set(name: string, value: string): void {
    this.real().set(name, value);
  }

  append(name: string, value: string): void {
    this.real().append(name, value);
  }

  delete(name: string): void {
    this.real().delete(name);
  }

  forEach(fn: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    if (this.#real) {
      this.#real.forEach(fn, thisArg);
      return;
    }
    for (const name of Object.keys(this.node).sort()) {
      const value = this.get(name);
      if (value !== null) fn.call(thisArg, value, name, this as unknown as Headers);
    }
  }

  entries(): ReturnType<Headers["entries"]> {
    return this.real().entries();
  }

  keys(): ReturnType<Headers["keys"]> {
    return this.real().keys();
  }

  values(): ReturnType<Headers["values"]> {
    return this.real().values();
  }

  [Symbol.iterator](): ReturnType<Headers["entries"]> {
    return this.entries();
  }

  private real(): Headers {
    if (!this.#real) {
      const real = new Headers();
      for (const name in this.node) {
        if (name.charCodeAt(0) === 58) continue;
        const value = this.node[name];
        if (Array.isArray(value)) for (const v of value) real.append(name, v);
        else if (value !== undefined) real.set(name, value);
      }
      this.#real = real;
    }
    return this.#real;
  }
}
