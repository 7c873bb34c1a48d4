import type { LockKeys } from "../ports/throttle.js";

/**
 * The key per-IP limits count under. IPv6 clients are counted per /64, the
 * block a single subscriber usually holds, so rotating addresses inside it
 * does not buy more attempts.
 */
export function ipKey(ip: string): string {
  if (!ip.includes(":")) return ip;
  if (ip.includes(".")) return ip.slice(ip.lastIndexOf(":") + 1); // IPv4-mapped
  const [head = "", tail] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** What a caller typed as a login name, normalised and bounded, as a limit key. */
export function loginKey(raw: string): string {
  return raw.toLowerCase().slice(0, 256);
}

/**
 * The one answer to "which budget and lock does this login count against":
 * the account once the name resolves, so its username and email share one;
 * otherwise the normalised name, so unknown names are limited like known ones.
 * The two forms cannot collide. The account is named by its permanent id, so a
 * deleted and re-registered username starts with a clean budget.
 */
export function accountLimitKey(account: { id: string } | null, typed: string): string {
  return account ? `account:${account.id}` : `name:${loginKey(typed)}`;
}

/** Lockout keys: the account alone, and the account from one client (an IP block, a session). */
export function lockKeys(accountKey: string, client: string): LockKeys {
  return { account: accountKey, accountFromIp: `${accountKey}|${client}` };
}
