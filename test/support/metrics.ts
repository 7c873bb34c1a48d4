/** The value of one sample line of the Prometheus text format, or undefined. */
export function metricSample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const [series = "", value] = line.split(" ");
    const rest = series.slice(name.length);
    if (rest !== "" && !rest.startsWith("{")) continue;
    if (wanted.every((w) => rest.includes(w))) return Number(value);
  }
  return undefined;
}

/** The Prometheus text the server's metrics port serves. */
export async function scrapeMetrics(metricsPort: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
}

/** userharbor_rpc_total of one method (like "AccountService/VerifySession"), summed over status codes. */
export async function rpcCalls(metricsPort: number, method: string): Promise<number> {
  const series = `userharbor_rpc_total{`;
  const label = `method="userharbor.v1.${method}"`;
  return (await scrapeMetrics(metricsPort))
    .split("\n")
    .filter((line) => line.startsWith(series) && line.includes(label))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}
