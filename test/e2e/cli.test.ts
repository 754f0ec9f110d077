import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/cli.ts";
import { Receiver } from "../support/receiver.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-cli-"));
const config = join(dir, "syncline.yaml");
const receiver = new Receiver();

/** Runs the CLI without blocking this process, which also serves the receiver. */
const cli = (...args: string[]) => runCli([...args, "--config", config]);

beforeAll(async () => {
  await receiver.start();
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE people AS SELECT i AS id, CASE WHEN i = 3 THEN 'bad' ELSE 'p' || i || '@example.com' END AS email FROM range(1, 21) t(i)",
  );
  connection.closeSync();
  instance.closeSync();
  writeFileSync(
    config,
    `sources:
  wh: { type: duckdb, path: ./wh.duckdb }
destinations:
  hook: { type: webhook, url: "${receiver.url}", secret: "cli-test-secret-value-42", maxRecords: 5 }
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

describe("syncline CLI", () => {
  it("plan is a dry run: counts and samples, nothing sent or committed", async () => {
    const plan = await cli("plan", "people");
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("dry run");
    expect(plan.stdout).toMatch(/planned\s*│\s*20/);
    expect(receiver.batches).toHaveLength(0);
    const json = JSON.parse((await cli("plan", "people", "--json")).stdout);
    expect(json.counts.planned).toEqual({ added: 20, changed: 0, removed: 0 });
    expect(json.samples.added[0]).toEqual({ key: "1", fields: { email: "p1@example.com" } });
  });

  it("run prints the summary, exits 3 when some records failed, and failures lists them", async () => {
    receiver.fail = (batch) => (batch.records.some((r) => r.fields.email === "bad") ? 422 : undefined);
    const run = await cli("run", "people", "--json");
    expect(run.code).toBe(3);
    const summary = JSON.parse(run.stdout);
    expect(summary.status).toBe("partial");
    expect(summary.counts.succeeded.added).toBe(19);
    expect(summary.counts.failed.added).toBe(1);
    expect(run.stderr).not.toContain("cli-test-secret-value-42");

    const csv = await cli("failures", "people", "--csv");
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split("\r\n");
    expect(lines[0]).toBe(
      "key,operation,change,attempts,error_class,error_code,reason,first_failed_at,last_failed_at,last_run_id",
    );
    expect(lines[1]).toMatch(/^3,upsert,added,1,permanent,http_422,/);
    expect((await cli("failures", "people")).stdout).toContain("1 of 1 failures shown");

    receiver.fail = () => undefined;
    const retry = await cli("run", "people");
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain("SUCCEEDED");
    expect((await cli("failures", "people")).stdout).toContain("no failures");
  });

  it("check connects to every source and destination", async () => {
    const check = await cli("check");
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("valid, 1 sync(s)");
  });

  it("exits 2 with the path at fault for an invalid config", async () => {
    writeFileSync(join(dir, "bad.yaml"), "sources: {}\ndestinations: {}\nsyncs:\n  x: { source: a }\n");
    const result = spawnSync(process.execPath, [BIN, "run", "x", "--config", join(dir, "bad.yaml")], {
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("syncs.x.primaryKey: required — the column that identifies a record");
  });

  it("exits 2 for an unknown sync or command", async () => {
    expect((await cli("run", "nope")).stderr).toContain('unknown sync "nope"');
    expect((await cli("run", "nope")).code).toBe(2);
    expect((await cli("frobnicate")).code).toBe(2);
  });
});
