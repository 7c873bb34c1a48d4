import type { DeviceToken } from "../domain/device.js";

/**
 * Trusted-device records (see DeviceToken), by hash: the store never sees a
 * raw device token. Expired records may be returned (the core checks expiry).
 */
export interface DeviceStore {
  add(device: DeviceToken): Promise<void>;
  get(tokenHash: string): Promise<DeviceToken | null>;
  /** Counts one failed login made with this device token; returns the new count (0: no such record). */
  recordFailure(tokenHash: string): Promise<number>;
  /** Returns false if there was no such record. */
  remove(tokenHash: string): Promise<boolean>;
  /** Removes every device token of the account; returns how many. */
  removeForAccount(accountId: string): Promise<number>;
}
