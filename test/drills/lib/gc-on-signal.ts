/**
 * Preloaded into the soak's server process (`node --expose-gc --import`): SIGUSR2 runs a full
 * garbage collection. The soak sends it before each sample, so the heap it reads
 * (userharbor_heap_after_major_gc_bytes) is what the process retains, not how much garbage
 * happened to be waiting: V8 may go minutes without a major collection on its own.
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect) process.on("SIGUSR2", () => collect());
