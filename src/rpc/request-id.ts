import { randomUUID } from "node:crypto";

const SANE = /^[\w.:-]{1,64}$/;

/**
 * The id a call goes by in logs and in its answer's `x-request-id`: the caller's own if it is
 * sane (so a backend can follow its request through), else a fresh one.
 */
export function requestIdFor(offered: string | string[] | null | undefined): string {
  return typeof offered === "string" && SANE.test(offered) ? offered : randomUUID();
}
