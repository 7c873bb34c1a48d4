import dns from "node:dns";

/**
 * Preloaded into a drill's server process (`node --import`): UH_DRILL_LOOKUP="name=ip"
 * makes `name` resolve to `ip` in that process only. The network drill needs it because
 * a replica set member advertises its own address and the driver then connects there,
 * around any proxy; so jongodb advertises "localhost" and the server alone resolves
 * "localhost" to the toxiproxy listener's loopback address.
 */
const [name, address] = (process.env.UH_DRILL_LOOKUP ?? "").split("=");
if (name && address) {
  const original = dns.lookup;
  const patched = (hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === "function" ? options : callback) as (...args: unknown[]) => void;
    const opts =
      typeof options === "object" && options !== null ? (options as dns.LookupOptions) : {};
    if (hostname !== name)
      return (original as (...a: unknown[]) => void)(hostname, options, callback);
    if (opts.all) return process.nextTick(cb, null, [{ address, family: 4 }]);
    return process.nextTick(cb, null, address, 4);
  };
  dns.lookup = patched as typeof dns.lookup;
}
