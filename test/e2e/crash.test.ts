import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStateFile, runRows } from "../../src/state/inspect/index.ts";
import { Receiver } from "../support/receiver.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "syncline.js");

async function warehouse(path: string, sql: string) {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

async function modelRows(path: string): Promise<Map<string, Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll("SELECT id, email, version FROM people");
  const rows = new Map(reader.getRowObjectsJS().map((r) => [String(r.id), { email: r.email, version: r.version }]));
  connection.closeSync();
  instance.closeSync();
  return rows;
}

function runCli(
  config: string,
  onSpawn?: (child: ChildProcess) => void,
  flags: string[] = ["--json"],
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "run", "people", "--config", config, ...flags], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (process.env.DEBUG_CRASH) process.stderr.write(chunk);
    });
    onSpawn?.(child);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

// Small runs commit on the run's thread; runs of 100,000 records or more on a writer thread
// (src/engine/ledger/commit-thread.ts), whose commits trail the sends.
const SIZES = [
  { rows: 3000, maxRecords: 50, threaded: false },
  { rows: 120_000, maxRecords: 500, threaded: true },
];

describe.each(SIZES)(
  "crash safety (kill -9 in the middle of the sink), $rows rows",
  ({ rows, maxRecords, threaded }) => {
    const dir = mkdtempSync(join(tmpdir(), "syncline-crash-"));
    const receiver = new Receiver();
    const config = join(dir, "syncline.yaml");
    const duck = join(dir, "warehouse.duckdb");

    beforeAll(async () => {
      await receiver.start();
      await warehouse(
        duck,
        `CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email, 1 AS version FROM range(1, ${rows + 1}) t(i)`,
      );
      writeFileSync(
        config,
        `state: ./state.db
sources:
  wh: { type: duckdb, path: ./warehouse.duckdb }
destinations:
  hook: { type: webhook, url: "${receiver.url}", maxRecords: ${maxRecords}, concurrency: 2 }
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: hook
    object: people
    mode: mirror
    deleteGuard: { maxPercent: 100 }
    mapping: { email: email, version: version }
`,
      );
    });
    afterAll(async () => {
      await receiver.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("loses nothing: after one clean run the destination equals the model", async () => {
      receiver.delayMs = 15;
      // First run: killed after 10 batches have been accepted.
      const killed = await runCli(
        config,
        (child) => {
          receiver.onBatch = () => {
            if (receiver.batches.length === 10) child.kill("SIGKILL");
          };
        },
        ["--json", "--log-level", "debug"],
      );
      expect(killed.signal).toBe("SIGKILL");
      expect(killed.stderr.includes("batch commits on a writer thread")).toBe(threaded);
      const deliveredBeforeCrash = receiver.records.size;
      expect(deliveredBeforeCrash).toBeGreaterThanOrEqual(10 * maxRecords);
      expect(deliveredBeforeCrash).toBeLessThan(rows);

      // The model moves on between runs: updates, deletes, inserts (some deletes hit delivered keys).
      await warehouse(
        duck,
        `UPDATE people SET version = 2 WHERE id % 7 = 0;
       DELETE FROM people WHERE id % 13 = 0;
       INSERT INTO people SELECT i, 'n' || i || '@example.com', 1 FROM range(${rows + 1}, ${rows + 101}) t(i);`,
      );

      // Second run: killed again, mid-sink.
      receiver.onBatch = () => {};
      const before = receiver.batches.length;
      const killedAgain = await runCli(config, (child) => {
        receiver.onBatch = () => {
          if (receiver.batches.length === before + 5) child.kill("SIGKILL");
        };
      });
      expect(killedAgain.signal).toBe("SIGKILL");

      // One clean run.
      receiver.onBatch = () => {};
      receiver.delayMs = 0;
      const clean = await runCli(config);
      expect(clean.code).toBe(0);
      const summary = JSON.parse(clean.stdout) as { status: string };
      expect(summary.status).toBe("succeeded");

      const model = await modelRows(duck);
      expect(receiver.records.size).toBe(model.size);
      expect(receiver.records).toEqual(model);

      // The killed runs were marked interrupted when the next run started.
      const statuses = readStateFile(join(dir, "state.db"), runRows);
      expect(statuses.map((s) => s.status)).toEqual(["interrupted", "interrupted", "succeeded"]);

      // And a run after convergence sends nothing.
      const sent = receiver.batches.length;
      const idle = await runCli(config);
      expect(JSON.parse(idle.stdout).counts.planned).toEqual({ added: 0, changed: 0, removed: 0 });
      expect(receiver.batches.length).toBe(sent);
    }, 120_000);
  },
);
