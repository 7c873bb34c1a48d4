import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { MongoClient } from "mongodb";
import { type CheckState, checkStore, formatReport, RULES } from "./store-check/index.js";

const USAGE = `npm run check:store -- <MONGODB_URI> [--db NAME] [--state FILE] [--lease-grace-seconds N]
  Reads a UserHarbor MongoDB store and prints every broken invariant; exit 0 = none, 1 = some.
  --db NAME                 database (default: the URI's path, else userharbor)
  --state FILE              compare with the state this file holds (credential generations,
                            outbox attempts) and write this run's state into it
  --lease-grace-seconds N   a mail lease lapsed longer than this means a dead worker (default 60)
  --rules                   list the rules and exit`;

/** The database named in the URI's path, as the server picks it. */
function databaseIn(uri: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(uri)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      state: { type: "string" },
      "lease-grace-seconds": { type: "string", default: "60" },
      rules: { type: "boolean", default: false },
    },
  });
  if (values.rules) {
    for (const rule of RULES) console.log(`${rule.id}: ${rule.promise}`);
    return 0;
  }
  const uri = positionals[0] ?? process.env.MONGODB_URI;
  const grace = Number(values["lease-grace-seconds"]);
  if (!uri || !Number.isFinite(grace) || grace < 0) {
    console.error(USAGE);
    return 2;
  }
  const previous =
    values.state && existsSync(values.state)
      ? (JSON.parse(readFileSync(values.state, "utf8")) as CheckState)
      : undefined;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db(values.db ?? databaseIn(uri) ?? "userharbor");
    const report = await checkStore(db, { leaseGraceMs: grace * 1_000, previous });
    console.log(formatReport(report));
    if (values.state) writeFileSync(values.state, `${JSON.stringify(report.state)}\n`);
    return report.violations.length === 0 ? 0 : 1;
  } finally {
    await client.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`store check failed: ${(error as Error).message}`);
      process.exit(2);
    },
  );
}
