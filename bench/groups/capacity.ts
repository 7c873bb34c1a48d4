import { formatCapacity, measureCapacity } from "../document-sizes.js";
import { phase, raw } from "../figures.js";

/** Bytes per record of the MongoDB layout, from the documents the store writes (no database). */
export async function capacityGroup(): Promise<void> {
  phase("capacity: BSON sizes of the documents the MongoDB store writes");
  const report = await measureCapacity();
  raw.capacity = report;
  console.error(formatCapacity(report));
}
