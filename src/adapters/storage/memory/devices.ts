import type { DeviceToken } from "../../../core/domain/device.js";
import type { DeviceStore } from "../../../core/ports/device-store.js";
import { copy, drop, indexKey, keysOf, type OperationContext, put, unindexKey } from "./tables.js";

/** Trusted-device tokens keyed by hash, with a per-account index of their hashes. */
export class MemoryDevices implements DeviceStore {
  constructor(private readonly op: OperationContext) {}

  add(device: DeviceToken): Promise<void> {
    return this.op.run(() => {
      const { t, undo } = this.op;
      put(t.devices, device.tokenHash, { ...device }, undo);
      indexKey(t.deviceHashesByAccount, device.accountId, device.tokenHash, undo);
    });
  }

  get(tokenHash: string): Promise<DeviceToken | null> {
    return this.op.run(() => copy(this.op.t.devices.get(tokenHash)));
  }

  recordFailure(tokenHash: string): Promise<number> {
    return this.op.run(() => this.#addFailures(tokenHash, 1));
  }

  releaseFailure(tokenHash: string): Promise<void> {
    return this.op.run(() => {
      this.#addFailures(tokenHash, -1);
    });
  }

  remove(tokenHash: string): Promise<boolean> {
    return this.op.run(() => this.#drop(tokenHash));
  }

  removeOldest(accountId: string, keep: number): Promise<number> {
    return this.op.run(() => {
      const { devices } = this.op.t;
      const newestFirst = this.#hashesOf(accountId)
        .flatMap((hash) => devices.get(hash) ?? [])
        .sort(
          (a, b) =>
            b.createdAt.getTime() - a.createdAt.getTime() || a.tokenHash.localeCompare(b.tokenHash),
        );
      return newestFirst.slice(keep).filter((device) => this.#drop(device.tokenHash)).length;
    });
  }

  removeForAccount(accountId: string): Promise<number> {
    return this.op.run(() => this.#hashesOf(accountId).filter((hash) => this.#drop(hash)).length);
  }

  /** Moves the failure count by `delta` (never below 0); the new count, 0 for no such device. */
  #addFailures(tokenHash: string, delta: number): number {
    const device = this.op.t.devices.get(tokenHash);
    if (!device) return 0;
    const failures = Math.max(0, device.failures + delta);
    put(this.op.t.devices, tokenHash, { ...device, failures }, this.op.undo);
    return failures;
  }

  #hashesOf(accountId: string): readonly string[] {
    return keysOf(this.op.t.deviceHashesByAccount, accountId);
  }

  #drop(tokenHash: string): boolean {
    const { t, undo } = this.op;
    const device = drop(t.devices, tokenHash, undo);
    if (!device) return false;
    unindexKey(t.deviceHashesByAccount, device.accountId, tokenHash, undo);
    return true;
  }
}
