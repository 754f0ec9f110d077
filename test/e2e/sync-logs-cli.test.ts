import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { Receiver } from "../support/receiver.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-logs-cli-"));
const config = join(dir, "syncline.yaml");
const receiver = new Receiver();

beforeAll(async () => {
  await receiver.start();
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email FROM range(1, 8) t(i)",
  );
  connection.closeSync();
  instance.closeSync();
  writeFileSync(
    config,
    `sources:
  wh: { type: duckdb, path: ./wh.duckdb, syncLogs: { schema: ops } }
destinations:
  hook: { type: webhook, url: "${receiver.url}", secret: "cli-test-secret-value-42" }
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: hook
    object: people
    mapping: { email: email }
`,
  );
});
afterAll(() => receiver.stop());

it("syncline run loads the run's logs into the warehouse before it exits", async () => {
  const run = await runCli(["run", "people", "--json", "--config", config]);
  expect(run.code).toBe(0);
  const { id } = JSON.parse(run.stdout) as { id: string };
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"), { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    const rows = (
      await connection.runAndReadAll("SELECT run_id, status, succeeded_added FROM ops.sync_runs")
    ).getRowObjectsJS();
    expect(rows).toEqual([{ run_id: id, status: "succeeded", succeeded_added: 7n }]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});
