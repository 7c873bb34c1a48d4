/**
 * True while `record` has not expired. Stores may return expired records (TTL
 * deletion is lazy), so the core checks every record it reads with this.
 */
export function isLive(record: { expiresAt: Date }, now: Date): boolean {
  return record.expiresAt.getTime() > now.getTime();
}
