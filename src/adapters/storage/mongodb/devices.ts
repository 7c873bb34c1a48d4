import type { DeviceToken } from "../../../core/domain/device.js";
import type { DeviceDoc } from "./collections.js";
import { literal } from "./literal.js";
import type { Scope } from "./scope.js";

function toDevice(doc: DeviceDoc): DeviceToken {
  return {
    accountId: doc.account_id,
    tokenHash: doc._id,
    createdAt: doc.created_at,
    expiresAt: doc.expires_at,
    failures: doc.failures,
  };
}

export async function addDevice(s: Scope, device: DeviceToken): Promise<void> {
  const doc: DeviceDoc = {
    _id: literal(device.tokenHash),
    account_id: literal(device.accountId),
    created_at: device.createdAt,
    expires_at: device.expiresAt,
    failures: device.failures,
  };
  await s.c.device_tokens.replaceOne({ _id: doc._id }, doc, { upsert: true, ...s.with });
}

export async function getDevice(s: Scope, tokenHash: string): Promise<DeviceToken | null> {
  const doc = await s.c.device_tokens.findOne({ _id: literal(tokenHash) }, s.with);
  return doc ? toDevice(doc) : null;
}

/**
 * An atomic `$inc`, then a read: concurrent failures each count once, and each
 * caller sees at least its own count (never less), so the limit is never
 * overshot. Not findOneAndUpdate: jongodb's findAndModify is not atomic.
 */
export async function recordDeviceFailure(s: Scope, tokenHash: string): Promise<number> {
  const filter = { _id: literal(tokenHash) };
  const { matchedCount } = await s.c.device_tokens.updateOne(
    filter,
    { $inc: { failures: 1 } },
    s.with,
  );
  if (matchedCount === 0) return 0;
  return (await s.c.device_tokens.findOne(filter, s.with))?.failures ?? 0;
}

export async function removeDevice(s: Scope, tokenHash: string): Promise<boolean> {
  const { deletedCount } = await s.c.device_tokens.deleteOne({ _id: literal(tokenHash) }, s.with);
  return deletedCount === 1;
}

export async function removeAccountDevices(s: Scope, accountId: string): Promise<number> {
  const { deletedCount } = await s.c.device_tokens.deleteMany(
    { account_id: literal(accountId) },
    s.with,
  );
  return deletedCount;
}
