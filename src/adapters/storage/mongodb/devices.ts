import type { DeviceToken } from "../../../core/domain/device.js";
import type { DeviceDoc } from "./collections.js";
import { literal } from "./literal.js";
import type { OperationContext } from "./operation.js";

function toDevice(doc: DeviceDoc): DeviceToken {
  return {
    accountId: doc.account_id,
    tokenHash: doc._id,
    createdAt: doc.created_at,
    expiresAt: doc.expires_at,
    failures: doc.failures,
  };
}

export async function addDevice(op: OperationContext, device: DeviceToken): Promise<void> {
  const doc: DeviceDoc = {
    _id: literal(device.tokenHash),
    account_id: literal(device.accountId),
    created_at: device.createdAt,
    expires_at: device.expiresAt,
    failures: device.failures,
  };
  await op.c.device_tokens.replaceOne({ _id: doc._id }, doc, { upsert: true, ...op.with });
}

export async function getDevice(
  op: OperationContext,
  tokenHash: string,
): Promise<DeviceToken | null> {
  const doc = await op.c.device_tokens.findOne({ _id: literal(tokenHash) }, op.with);
  return doc ? toDevice(doc) : null;
}

/**
 * An atomic `$inc`, then a read: concurrent failures each count once, and each
 * caller sees at least its own count (never less), so the limit is never
 * overshot. Not findOneAndUpdate: jongodb's findAndModify is not atomic.
 */
export async function recordDeviceFailure(
  op: OperationContext,
  tokenHash: string,
): Promise<number> {
  const filter = { _id: literal(tokenHash) };
  const { matchedCount } = await op.c.device_tokens.updateOne(
    filter,
    { $inc: { failures: 1 } },
    op.with,
  );
  if (matchedCount === 0) return 0;
  return (await op.c.device_tokens.findOne(filter, op.with))?.failures ?? 0;
}

export async function releaseDeviceFailure(op: OperationContext, tokenHash: string): Promise<void> {
  await op.c.device_tokens.updateOne(
    { _id: literal(tokenHash), failures: { $gt: 0 } },
    { $inc: { failures: -1 } },
    op.with,
  );
}

export async function removeOldestDevices(
  op: OperationContext,
  accountId: string,
  keep: number,
): Promise<number> {
  const surplus = await op.c.device_tokens
    .find(
      { account_id: literal(accountId) },
      { sort: { created_at: -1, _id: 1 }, skip: keep, projection: { _id: 1 }, ...op.with },
    )
    .toArray();
  if (surplus.length === 0) return 0;
  const { deletedCount } = await op.c.device_tokens.deleteMany(
    { _id: { $in: surplus.map((d) => d._id) } },
    op.with,
  );
  return deletedCount;
}

export async function removeDevice(op: OperationContext, tokenHash: string): Promise<boolean> {
  const { deletedCount } = await op.c.device_tokens.deleteOne({ _id: literal(tokenHash) }, op.with);
  return deletedCount === 1;
}

export async function removeAccountDevices(
  op: OperationContext,
  accountId: string,
): Promise<number> {
  const { deletedCount } = await op.c.device_tokens.deleteMany(
    { account_id: literal(accountId) },
    op.with,
  );
  return deletedCount;
}
