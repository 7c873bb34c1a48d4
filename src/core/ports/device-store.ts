import type { DeviceToken } from "../domain/device.js";

/**
 * Trusted-device records (see DeviceToken), by hash: the store never sees a
 * raw device token. Expired records may be returned (the core checks expiry).
 */
export interface DeviceStore {
  add(device: DeviceToken): Promise<void>;
  get(tokenHash: string): Promise<DeviceToken | null>;
  /**
   * Counts one failed login made with this device token, atomically; returns a
   * count no lower than this call's own (0: no such record).
   */
  recordFailure(tokenHash: string): Promise<number>;
  /** Takes one failure back (a reservation the password proved unneeded); never below 0. */
  releaseFailure(tokenHash: string): Promise<void>;
  /** Returns false if there was no such record. */
  remove(tokenHash: string): Promise<boolean>;
  /** Keeps the account's `keep` newest device tokens (by creation), removes the rest; returns how many went. */
  removeOldest(accountId: string, keep: number): Promise<number>;
  /** Removes every device token of the account; returns how many. */
  removeForAccount(accountId: string): Promise<number>;
}
