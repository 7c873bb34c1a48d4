/**
 * A trusted device (OWASP "device cookie"): Login issued it to a browser that
 * proved the password. Keyed by an HMAC bound to the account id, so a device
 * token is worth nothing for another account. `failures` counts wrong passwords
 * sent with it; at the limit it stops being trusted.
 */
export interface DeviceToken {
  accountId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  failures: number;
}
