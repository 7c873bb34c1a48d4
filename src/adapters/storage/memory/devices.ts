import type { DeviceToken } from "../../../core/domain/device.js";
import type { DeviceStore } from "../../../core/ports/device-store.js";
import { copy, drop, type OperationContext, put } from "./tables.js";

/** Trusted-device tokens keyed by hash. */
export class MemoryDevices implements DeviceStore {
  constructor(private readonly op: OperationContext) {}

  add(device: DeviceToken): Promise<void> {
    return this.op.run(() => put(this.op.t.devices, device.tokenHash, { ...device }, this.op.undo));
  }

  get(tokenHash: string): Promise<DeviceToken | null> {
    return this.op.run(() => copy(this.op.t.devices.get(tokenHash)));
  }

  recordFailure(tokenHash: string): Promise<number> {
    return this.op.run(() => {
      const device = this.op.t.devices.get(tokenHash);
      if (!device) return 0;
      const failures = device.failures + 1;
      put(this.op.t.devices, tokenHash, { ...device, failures }, this.op.undo);
      return failures;
    });
  }

  remove(tokenHash: string): Promise<boolean> {
    return this.op.run(() => drop(this.op.t.devices, tokenHash, this.op.undo) !== undefined);
  }

  removeForAccount(accountId: string): Promise<number> {
    return this.op.run(() => {
      let removed = 0;
      for (const [hash, device] of this.op.t.devices) {
        if (device.accountId === accountId && drop(this.op.t.devices, hash, this.op.undo))
          removed++;
      }
      return removed;
    });
  }
}
