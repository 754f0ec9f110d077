import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSyncline } from "../../src/host/open.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { runCli as cli } from "../support/cli.ts";
import { Harness, people } from "../support/harness.ts";

let harness: Harness;
afterEach(async () => harness?.close());

/** Another process takes the state file's write lock for `ms` (better-sqlite3 blocks, so it must be another process). */
function holdLock(file: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      join(import.meta.dirname, "..", "support", "lock-holder.ts"),
      file,
      String(ms),
    ]);
    child.stdout.once("data", () => resolve());
  });
}

async function converged(h: Harness) {
  expect(h.destination.records).toEqual(await h.model());
}

describe("state file faults", () => {
  it("waits out a short write lock held by another process and succeeds", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 20));
    await holdLock(harness.state.path, 1_000);
    const run = await harness.run();
    expect(run.status).toBe("succeeded");
    await converged(harness);
  });

  it("fails the run as transient when the lock outlasts the busy timeout, and loses nothing", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 20));
    await harness.run();
    await harness.sql("UPDATE people SET version = 2 WHERE id <= 5");
    let held = false;
    harness.destination.afterCall = async () => {
      if (held) return;
      held = true;
      await holdLock(harness.state.path, 7_000);
    };
    const run = await harness.run();
    expect(run.status).toBe("failed");
    expect(run.error?.code).toBe("state_busy");
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const next = await harness.run();
    expect(next.status).toBe("succeeded");
    await converged(harness);
  }, 30_000);

  it("reports a read-only state file clearly, and converges once it is writable again", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 10));
    harness.state.sqlite.pragma("query_only = ON");
    const refused = await harness.engine.runNow("people").catch((error: Error) => error);
    harness.state.sqlite.pragma("query_only = OFF");
    expect(String((refused as { error?: { message: string } }).error?.message ?? refused)).toMatch(
      /readonly|read-only|cannot be written/i,
    );
    const run = await harness.run();
    expect(run.status).toBe("succeeded");
    await converged(harness);
  });

  it("coalesces a burst of concurrent triggers into at most one queued run", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 50));
    const triggers = Array.from({ length: 25 }, () => harness.engine.trigger("people", { trigger: "burst" }));
    const ids = new Set(triggers.map((t) => t.run.id));
    expect(ids.size).toBe(2);
    await Promise.all([...ids].map((id) => harness.engine.wait(id)));
    const keys = harness.destination.writes.map((w) => w.key);
    expect(new Set(keys).size).toBe(keys.length);
    await converged(harness);
  });
});

describe("state file faults when closing: the run's outcome and the state problem, both, without a stack trace", () => {
  let dir: string;
  let config: string;
  let state: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "syncline-close-"));
    config = join(dir, "syncline.yaml");
    state = join(dir, "state.db");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a state file that turned read-only after the run: close names the file and the fix", async () => {
    await writeConfig(dir, { rows: 20, mode: "upsert" });
    const app = await openSyncline(config, { logger: silentLogger });
    const run = await app.engine.runNow("people", {}, "test");
    expect(run.status).toBe("succeeded");
    app.state.sqlite.pragma("query_only = ON");
    const error = await app.close().then(
      () => undefined,
      (e: { describe?: () => string; message: string }) => e.describe?.() ?? e.message,
    );
    expect(error).toContain(`state file ${state}`);
    expect(error).toMatch(/cannot be written.*writable/s);
    expect(app.state.sqlite.open).toBe(false);
  });

  it("syncline run on a locked state file reports the run's problem and the state's, exit 1, no stack", async () => {
    await writeConfig(dir, { rows: 20, mode: "upsert" });
    const first = await cli(["run", "people", "--config", config]);
    expect(first.code).toBe(0);
    const holder = spawn(process.execPath, [
      join(import.meta.dirname, "..", "support", "lock-holder.ts"),
      state,
      "30000",
    ]);
    try {
      await new Promise((resolve) => holder.stdout.once("data", resolve));
      const result = await cli(["run", "people", "--config", config]);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(result.stderr).toMatch(/could not start the run.*state file .*state\.db.*busy/s);
      expect(result.stderr).toMatch(/could not close: the state file .*state\.db/);
      expect(result.stderr).toMatch(/another process/);
      expect(result.code).toBe(1);
    } finally {
      holder.kill("SIGKILL");
    }
  }, 40_000);
});

describe("state backup and restore", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "syncline-backup-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("backs up the state online while a run writes to it; the restored backup opens and converges", async () => {
    const config = await writeConfig(dir, { rows: 2000, mode: "mirror" });
    const state = join(dir, "state.db");
    const app = await openSyncline(config, { logger: silentLogger });
    expect((await app.engine.runNow("people", {}, "test")).status).toBe("succeeded");
    // A second run is writing (a full resync of every record) while the backup is taken.
    const running = app.engine.runNow("people", { fullResync: true }, "test");
    const backup = await cli(["state", "backup", join(dir, "backup.db"), "--config", config]);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/backed up .*state\.db to .*backup\.db \(\d+ pages/);
    expect((await running).status).toBe("succeeded");
    // The backup may not overwrite the live state file.
    const onto = await cli(["state", "backup", state, "--config", config]);
    expect(onto.code).toBe(2);
    expect(onto.stderr).toContain("would overwrite the state file itself");
    await app.close();

    // Restore: stop, copy the backup over the state file, remove its -wal and -shm, start again.
    copyFileSync(join(dir, "backup.db"), state);
    rmSync(`${state}-wal`, { force: true });
    rmSync(`${state}-shm`, { force: true });
    const restored = await openSyncline(config, { logger: silentLogger });
    expect(restored.engine.runs.list("people", { limit: 10 }).length).toBeGreaterThanOrEqual(1);
    const after = await restored.engine.runNow("people", {}, "test");
    expect(after.status).toBe("succeeded");
    await restored.close();
  }, 60_000);
});

/** A DuckDB model of `rows` people synced to the file destination; returns the config's path. */
async function writeConfig(dir: string, options: { rows: number; mode: string }): Promise<string> {
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(
    `CREATE TABLE people AS SELECT i AS id, 'p' || i AS email FROM range(1, ${options.rows + 1}) t(i)`,
  );
  connection.closeSync();
  instance.closeSync();
  const config = join(dir, "syncline.yaml");
  writeFileSync(
    config,
    JSON.stringify({
      state: "./state.db",
      sources: { wh: { type: "duckdb", path: "./wh.duckdb" } },
      destinations: { out: { type: "file", path: "./out" } },
      syncs: {
        people: {
          source: "wh",
          model: { table: "people" },
          primaryKey: "id",
          destination: "out",
          object: "people",
          mode: options.mode,
          mapping: { email: "email" },
        },
      },
    }),
  );
  return config;
}
