// What users install is what we test: the packed tarball, installed with npm into empty
// folders (npm's registry only for third-party dependencies), run with the installed
// `syncline`. One file, because each step builds on the previous one's install.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npm, packedSyncline, ROOT, run } from "./tarball.ts";

const work = mkdtempSync(join(tmpdir(), "syncline-package-"));
const prefix = join(work, "prefix");
const syncline = join(prefix, "bin", "syncline");
const installed = join(prefix, "lib", "node_modules", "syncline");
let tarball = "";
let pluginTarball = "";

beforeAll(async () => {
  tarball = await packedSyncline();
  await npm(work, "install", "--global", "--prefix", prefix, tarball);
}, 600_000);

// Four installs' node_modules: removing them takes a while on a busy machine.
afterAll(() => rm(work, { recursive: true, force: true }), 300_000);

/** The installed command, with a clean environment (no repository settings leak in). */
function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(syncline, args, { cwd, env: { VITEST: "", NODE_OPTIONS: "", ...env } });
}

function files(path: string): Promise<string[]> {
  return run("tar", ["tzf", path], { cwd: work }).then((listing) => listing.stdout.trim().split("\n"));
}

describe("the packed tarball", () => {
  it("holds the built package and nothing of the tests", async () => {
    const entries = await files(tarball);
    for (const needed of [
      "package/bin/syncline.js",
      "package/dist/cli/main.js",
      "package/dist/cli/memory-settings.js",
      "package/dist/src/cli/main.js",
      "package/dist/src/sdk/index.js",
      "package/dist/src/sdk/index.d.ts",
      "package/dist/src/sdk/index.js.map",
      "package/dist/src/sdk/testing/index.d.ts",
      "package/dist/src/sdk/sql/index.js",
      "package/dist/src/sdk/sql/index.d.ts",
      "package/dist/plugins/duckdb/index.js",
      "package/drizzle/meta/_journal.json",
      "package/examples/quickstart/syncline.yaml",
      "package/templates/plugin/destination-ts/src/index.ts",
      "package/README.md",
      "package/LICENSE",
      "package/CHANGELOG.md",
    ]) {
      expect(entries).toContain(needed);
    }
    const stray = entries.filter(
      (entry) =>
        /\.test\.[jt]s$|\/fake\/|test-helpers|test-server|__fixtures__/.test(entry) ||
        (entry.startsWith("package/dist/") && /\.ts$/.test(entry) && !entry.endsWith(".d.ts")) ||
        entry.startsWith("package/src/") ||
        entry.startsWith("package/test/") ||
        entry.startsWith("package/plugins/"),
    );
    expect(stray.filter((entry) => !entry.startsWith("package/templates/"))).toEqual([]);
  });
});

describe("installed globally (npm install -g --prefix)", () => {
  it("runs the quick start with the installed syncline: `run`, then `serve` up to /readyz and a clean SIGTERM", async () => {
    expect(existsSync(join(installed, "src"))).toBe(false); // it can only be running dist/
    // The command's bundle imports the SDK's own files, which plugins get too: one class per error.
    const bundle = readdirSync(join(installed, "dist", "cli")).filter((name) => name.endsWith(".js"));
    const code = bundle.map((name) => readFileSync(join(installed, "dist", "cli", name), "utf8")).join("\n");
    expect(code).toContain("../src/sdk/");
    expect(code).not.toMatch(/class SynclineError\b/);
    // Loaded by path, outside the bundle (src/package-root.ts, CODE_ROOT).
    expect(existsSync(join(installed, "dist", "src", "engine", "delta", "snapshot-worker.js"))).toBe(true);
    expect(existsSync(join(installed, "dist", "src", "engine", "ledger", "commit-worker.js"))).toBe(true);
    const help = await cli(work, ["--help"]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("syncline plugin init");

    const quickstart = join(work, "quickstart");
    cpSync(join(installed, "examples", "quickstart"), quickstart, { recursive: true });
    const ran = await cli(work, ["run", "contacts", "--config", "quickstart/syncline.yaml", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ status: "succeeded", counts: { succeeded: { added: 910 } } });
    const sent = readFileSync(join(quickstart, ".syncline", "out", "contacts.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(sent).toHaveLength(910);

    const service = spawn(syncline, ["serve", "--config", join(quickstart, "syncline.yaml")], {
      cwd: work,
      env: { ...process.env, VITEST: "", NODE_OPTIONS: "", PORT: "0", SYNCLINE_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => service.on("exit", resolve));
    try {
      const port = await readyPort(service);
      let status = 0;
      for (const deadline = Date.now() + 30_000; status !== 200 && Date.now() < deadline; ) {
        status = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(200);
    } finally {
      service.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 120_000);
});

describe("a third-party plugin, outside this repository", () => {
  const plugin = join(work, "syncline-plugin-acme");

  it("is scaffolded by the installed syncline, passes its own tests (node --test and vitest), and packs", async () => {
    const init = await cli(work, ["plugin", "init", plugin, "--destination", "--syncline", tarball]);
    expect(init.code, init.stderr).toBe(0);
    await npm(plugin, "install");
    const tests = await run("npm", ["test"], { cwd: plugin, env: { VITEST: "", NODE_OPTIONS: "" } });
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/ℹ pass 16\n[\s\S]*ℹ fail 0\n/);
    await npm(plugin, "run", "typecheck");

    // The same contract under vitest, from the installed package (dist/, vitest beside it).
    await npm(plugin, "install", "--save-dev", "vitest");
    const contractOnly = readFileSync(join(plugin, "test", "plugin.test.ts"), "utf8")
      .replace(/^import .* from "node:test";\n/m, "")
      .replace(/\ndescribe\([\s\S]*$/, "\n");
    writeFileSync(join(plugin, "test", "contract-vitest.test.ts"), contractOnly);
    const vitest = await run("npx", ["vitest", "run", "test/contract-vitest.test.ts"], {
      cwd: plugin,
      env: { VITEST: "", NODE_OPTIONS: "", NO_COLOR: "1" },
    });
    expect(vitest.code, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/Tests\s+\S*15 passed/);

    const packed = await npm(plugin, "pack");
    pluginTarball = join(plugin, packed.trim().split("\n").at(-1)!);
    expect((await files(pluginTarball)).sort()).toEqual(
      ["README.md", "package.json", "dist/fake.d.ts", "dist/fake.js", "dist/fake.js.map"]
        .concat(["dist/index.d.ts", "dist/index.js", "dist/index.js.map"])
        .map((file) => `package/${file}`)
        .sort(),
    );
  }, 600_000);

  it("installs beside Syncline from both tarballs and syncs a model into the plugin's fake", async () => {
    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), '{ "private": true }\n');
    await npm(app, "install", tarball, pluginTarball); // no registry for either
    const fake = await startInstalledFake(app);
    try {
      await syncThroughPlugin(app, join(app, "node_modules", ".bin", "syncline"), fake);
    } finally {
      await fake.close();
    }
    // The guide's example plugin (docs/examples/acme-crm) passes the packed kit under node --test.
    const example = join(app, "acme-crm");
    mkdirSync(example);
    for (const file of ["index.js", "fake.js", "plugin.test.js"]) {
      cpSync(join(ROOT, "docs", "examples", "acme-crm", file), join(example, file));
    }
    const kit = await run(process.execPath, ["--test", "acme-crm/plugin.test.js"], {
      cwd: app,
      env: { VITEST: "", NODE_OPTIONS: "" },
    });
    expect(kit.code, kit.stdout + kit.stderr).toBe(0);
    expect(kit.stdout).toMatch(/ℹ pass 15\n[\s\S]*ℹ fail 0\n/);

    // The guide's SQL source (docs/examples/sqlite-source: its own syncline/sdk/sql dialect), run
    // by the installed syncline with diff: warehouse; better-sqlite3 is installed with Syncline.
    const sqlite = join(app, "sqlite");
    const fixture = pathToFileURL(join(ROOT, "docs", "examples", "sqlite-source", "fixture.js")).href;
    const created = await run(
      process.execPath,
      [
        "--input-type=module",
        "--eval",
        `import { createExample } from ${JSON.stringify(fixture)}; createExample(${JSON.stringify(sqlite)}).close();`,
      ],
      { cwd: app },
    );
    expect(created.code, created.stderr).toBe(0);
    const synced = await run(
      join(app, "node_modules", ".bin", "syncline"),
      ["run", "people", "--config", "sqlite/syncline.yaml", "--json"],
      {
        cwd: app,
        env: { VITEST: "", NODE_OPTIONS: "" },
      },
    );
    expect(synced.code, synced.stderr).toBe(0);
    expect(JSON.parse(synced.stdout)).toMatchObject({ status: "succeeded", counts: { succeeded: { added: 3 } } });
  }, 300_000);

  it("installs alone beside a global Syncline (its syncline peer is optional) and syncs with it", async () => {
    const app = join(work, "app-global");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), '{ "private": true }\n');
    await npm(app, "install", pluginTarball);
    expect(existsSync(join(app, "node_modules", "syncline"))).toBe(false);
    const fake = await startInstalledFake(join(work, "app")); // the fake needs syncline/sdk/testing
    try {
      await syncThroughPlugin(app, syncline, fake);
    } finally {
      await fake.close();
    }
  }, 300_000);
});

/**
 * The plugin's fake, as its package exports it, in a plain Node process in `app` (where the
 * plugin and Syncline are installed): it prints its URL, then its state when asked on stdin.
 */
async function startInstalledFake(app: string) {
  writeFileSync(
    join(app, "fake-server.mjs"),
    `import { createInterface } from "node:readline";
import { startFake } from "syncline-plugin-acme/fake";
const server = await startFake(); // the API's own limits: 100 records a call, 10 calls a second
console.log(JSON.stringify({ url: server.url }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "state") {
    const { records, counters, calls } = server.fake;
    const largest = Math.max(0, ...calls.map((call) => call.records));
    console.log(JSON.stringify({ records: records("people"), counters, largest }));
  }
}
await server.close();
`,
  );
  const child = spawn(process.execPath, ["fake-server.mjs"], {
    cwd: app,
    env: { PATH: process.env.PATH },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value as string);
  const { url } = (await next()) as { url: string };
  return {
    url,
    state: async () => {
      child.stdin!.write("state\n");
      return (await next()) as {
        records: Array<{ externalId: string; fields: Record<string, unknown> }>;
        counters: { rateLimited: number };
        largest: number;
      };
    },
    close: () => new Promise((resolve) => child.stdin!.end(() => child.once("exit", resolve))),
  };
}

/** Configures the scaffolded plugin in `app`, runs a sync with `bin` and checks what the fake holds. */
async function syncThroughPlugin(app: string, bin: string, fake: Awaited<ReturnType<typeof startInstalledFake>>) {
  writeFileSync(
    join(app, "seed.sql"),
    "CREATE TABLE people AS SELECT i AS id, 'Person ' || i AS name, i * 10 AS score FROM range(1, 451) t(i);\n",
  );
  writeFileSync(
    join(app, "syncline.yaml"),
    `state: ./.syncline/state.db
plugins: [syncline-plugin-acme]
sources:
  warehouse: { type: duckdb, path: ./.syncline/warehouse.duckdb, seed: ./seed.sql }
destinations:
  acme: { type: acme, apiKey: "\${ACME_API_KEY}", baseUrl: "${fake.url}" }
syncs:
  people:
    source: warehouse
    model: { table: people }
    primaryKey: id
    destination: acme
    object: people
    mode: mirror
    mapping: { name: name, score: score }
`,
  );
  const before = (await fake.state()).records.length;
  const result = await run(bin, ["run", "people", "--config", "syncline.yaml", "--json"], {
    cwd: app,
    env: { VITEST: "", NODE_OPTIONS: "", ACME_API_KEY: "fake-api-key" },
  });
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ status: "succeeded", counts: { succeeded: { added: 450 } } });
  const { records, counters, largest } = await fake.state();
  expect(before).toBe(0);
  const held = records.sort((a, b) => Number(a.externalId) - Number(b.externalId));
  expect(held.map((record) => [record.externalId, record.fields])).toEqual(
    Array.from({ length: 450 }, (_, i) => [String(i + 1), { name: `Person ${i + 1}`, score: (i + 1) * 10 }]),
  );
  expect(counters.rateLimited).toBe(0);
  expect(largest).toBeLessThanOrEqual(100);
}

/** The port from the service's `ready` log line. */
function readyPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`no ready line within 30 s:\n${buffered}`)), 30_000);
    const scan = (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split("\n").slice(0, -1)) {
        if (!line.startsWith("{")) continue;
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === "ready" && entry.port) {
          clearTimeout(timer);
          resolve(entry.port);
        }
      }
    };
    child.stdout?.on("data", scan);
    child.stderr?.on("data", scan);
    child.on("exit", (code) => reject(new Error(`serve exited ${code} before it was ready:\n${buffered}`)));
  });
}
