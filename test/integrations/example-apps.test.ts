import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleApps } from "./example-apps.js";

/** How the conformance suite finds apps and their toolchains (docs/integrations.md §8, §9). */
describe("example app discovery", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "uh-apps-"));
    const app = async (name: string, script?: string) => {
      await mkdir(join(root, name));
      if (script !== undefined) await writeFile(join(root, name, "run.sh"), script);
    };
    await app("node-app", "#!/usr/bin/env bash\n# requires: node\nexec node app.js\n");
    await app("exotic-app", "#!/usr/bin/env bash\n# requires: node uh-no-such-toolchain-1\n");
    await app("plain-app", "#!/usr/bin/env bash\nexec true\n");
    await app("not-an-app");
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("takes every folder with a run.sh, and names the '# requires:' commands missing from PATH", async () => {
    expect(await exampleApps(root)).toEqual([
      {
        name: "exotic-app",
        script: join(root, "exotic-app", "run.sh"),
        requires: ["node", "uh-no-such-toolchain-1"],
        missing: ["uh-no-such-toolchain-1"],
      },
      {
        name: "node-app",
        script: join(root, "node-app", "run.sh"),
        requires: ["node"],
        missing: [],
      },
      { name: "plain-app", script: join(root, "plain-app", "run.sh"), requires: [], missing: [] },
    ]);
  });

  it("finds this repository's apps with their toolchains declared", async () => {
    const apps = await exampleApps();
    for (const name of ["express", "fastify"]) {
      expect(apps.find((app) => app.name === name)).toMatchObject({
        requires: ["node"],
        missing: [],
      });
    }
  });
});
