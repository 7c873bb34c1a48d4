import type { ContextKey, ContextValues } from "@connectrpc/connect";

/**
 * connect's `createContextValues()` as a class: the same semantics (values keyed by the key's
 * symbol, its default when unset), with the three methods on the prototype rather than made
 * afresh for every call.
 */
export class CallValues implements ContextValues {
  get<T>(key: ContextKey<T>): T {
    const own = this as unknown as Record<symbol, T>;
    return key.id in own ? (own[key.id] as T) : key.defaultValue;
  }

  set<T>(key: ContextKey<T>, value: T): this {
    (this as unknown as Record<symbol, T>)[key.id] = value;
    return this;
  }

  delete(key: ContextKey<unknown>): this {
    delete (this as unknown as Record<symbol, unknown>)[key.id];
    return this;
  }
}
