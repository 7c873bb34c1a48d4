import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { MemoryStore } from "../src/adapters/storage/memory/memory-store.js";
import { newAccountId } from "../src/core/domain/account-id.js";
import { newId, newToken, TokenHasher } from "../src/core/domain/tokens.js";

/**
 * RSS per live session in the memory store. Run in its own process with --expose-gc:
 * `node --expose-gc --import tsx bench/session-rss.ts <sessions> <sessionsPerUser>`.
 *
 * Sessions are inserted straight into a MemoryStore through the SessionStore port
 * (addSession), built field by field the way Login builds them: logging in 100k times would
 * spend 100k argon2 hashes (most of an hour here) to store the same records. The accounts
 * exist before the first reading, so only what sessions add is counted. Strings that come
 * off the wire in a real login (ip, user agent) are decoded fresh for every session, as
 * protobuf decoding makes them; the username is the account's own string, as Login passes it.
 */

export interface MemoryReport {
  sessions: number;
  users: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssBytesPerSession: number;
  heapBytesPerSession: number;
  method: string;
}

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
].map((ua) => Buffer.from(ua));

const decoder = new TextDecoder();
/** A new heap string, as protobuf decoding gives every request its own. */
const fresh = (bytes: Uint8Array): string => decoder.decode(bytes);

function settle(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage();
}

export async function measureSessionMemory(
  sessions: number,
  perUser: number,
): Promise<MemoryReport> {
  const store = new MemoryStore();
  const tokens = new TokenHasher(randomBytes(32));
  const users = Math.ceil(sessions / perUser);
  const ids: string[] = [];
  // Login copies the username from the account it read: the session shares that string.
  const names: string[] = [];
  const createdAt = new Date();
  for (let u = 0; u < users; u++) {
    const username = `user${u}`;
    const id = newAccountId();
    ids.push(id);
    names.push(username);
    await store.accounts.create({
      id,
      username,
      email: `${username}@example.com`,
      emailKey: `${username}@example.com`,
      verified: true,
      disabled: false,
      createdAt,
      credentialGeneration: 0,
      lastLoginAt: null,
      passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${randomBytes(16).toString("base64")}$${randomBytes(32).toString("base64")}`,
    });
  }
  const before = settle();
  const dayMs = 86_400_000;
  for (let i = 0; i < sessions; i++) {
    const now = new Date();
    const absoluteExpiresAt = new Date(now.getTime() + 30 * dayMs);
    await store.sessions.add({
      id: newId(),
      tokenHash: tokens.hash(newToken("session")),
      accountId: ids[i % users] as string,
      username: names[i % users] as string,
      createdAt: now,
      lastActiveAt: now,
      absoluteExpiresAt,
      expiresAt: new Date(now.getTime() + 7 * dayMs),
      ip: fresh(Buffer.from(`203.0.${(i >> 8) & 255}.${i & 255}`)),
      userAgent: fresh(USER_AGENTS[i % USER_AGENTS.length] as Buffer),
    });
  }
  const after = settle();
  const mib = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
  // Keep the store reachable until after the reading.
  if ((await store.sessions.list(ids[0] as string)).length === 0) throw new Error("no sessions");
  return {
    sessions,
    users,
    rssBeforeMiB: mib(before.rss),
    rssAfterMiB: mib(after.rss),
    rssBytesPerSession: Math.round((after.rss - before.rss) / sessions),
    heapBytesPerSession: Math.round((after.heapUsed - before.heapUsed) / sessions),
    method: `sessions inserted directly through SessionStore.add (no Login, no argon2), ${perUser} per account, after GC`,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sessions = Number(process.argv[2] ?? 100_000);
  const perUser = Number(process.argv[3] ?? 4);
  process.stdout.write(`${JSON.stringify(await measureSessionMemory(sessions, perUser))}\n`);
}
