import type { DeviceToken } from "../../../core/domain/device.js";
import type { DeviceStore } from "../../../core/ports/device-store.js";
import { copy, drop, put, type Scope } from "./tables.js";

/** Trusted-device tokens keyed by hash. */
export class MemoryDevices implements DeviceStore {
  constructor(private readonly s: Scope) {}

  add(device: DeviceToken): Promise<void> {
    return this.s.op(() => put(this.s.t.devices, device.tokenHash, { ...device }, this.s.undo));
  }

  get(tokenHash: string): Promise<DeviceToken | null> {
    return this.s.op(() => copy(this.s.t.devices.get(tokenHash)));
  }

  recordFailure(tokenHash: string): Promise<number> {
    return this.s.op(() => {
      const device = this.s.t.devices.get(tokenHash);
      if (!device) return 0;
      const failures = device.failures + 1;
      put(this.s.t.devices, tokenHash, { ...device, failures }, this.s.undo);
      return failures;
    });
  }

  remove(tokenHash: string): Promise<boolean> {
    return this.s.op(() => drop(this.s.t.devices, tokenHash, this.s.undo) !== undefined);
  }

  removeForAccount(accountId: string): Promise<number> {
    return this.s.op(() => {
      let removed = 0;
      for (const [hash, device] of this.s.t.devices) {
        if (device.accountId === accountId && drop(this.s.t.devices, hash, this.s.undo)) removed++;
      }
      return removed;
    });
  }
}
