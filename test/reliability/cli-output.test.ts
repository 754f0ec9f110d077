import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { colourWanted } from "../../src/cli/table.ts";
import { runSchema } from "../../src/server/schemas.ts";
import { runCli } from "../support/cli.ts";
import { Receiver } from "../support/receiver.ts";

/** What the CLI prints is read by scripts: the same run shape as the API, and no colour codes in a pipe. */
const dir = mkdtempSync(join(tmpdir(), "syncline-cli-output-"));
const config = join(dir, "syncline.yaml");
const receiver = new Receiver();
const ESC = "\x1b[";

const cli = (...args: string[]) => runCli([...args, "--config", config]);

beforeAll(async () => {
  await receiver.start();
  receiver.fail = (batch) => (batch.records.some((r) => r.key === "3") ? 422 : undefined);
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE people AS SELECT * FROM (SELECT i AS id, 'p' || i AS email FROM range(1, 11) t(i) UNION ALL SELECT 4, 'dup')",
  );
  connection.closeSync();
  instance.closeSync();
  writeFileSync(
    config,
    `sources:
  wh: { type: duckdb, path: ./wh.duckdb }
destinations:
  hook: { type: webhook, url: "${receiver.url}", maxRecords: 1 }
syncs:
  people: { source: wh, model: { table: people }, primaryKey: id, destination: hook, object: people, mapping: { email: email } }
`,
  );
});
afterAll(async () => {
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("CLI output", () => {
  it("run --json prints the run in the API's shape: ISO times, invalid as count and samples", async () => {
    const run = await cli("run", "people", "--json");
    expect(run.code).toBe(3);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    const parsed = v.parse(runSchema, printed);
    expect(Object.keys(printed).sort()).toEqual(Object.keys(parsed).sort());
    expect(parsed.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(parsed.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(parsed.startedAt!));
    expect(parsed.invalid.count).toBe(2);
    expect(parsed.invalid.samples[0]!.reason).toMatch(/duplicate primary key/);
    expect(parsed.status).toBe("partial");
  });

  it("prints tables without colour codes when the output is not a terminal", async () => {
    for (const args of [["failures", "people"], ["run", "people"], ["check"], ["plan", "people"]]) {
      const result = await cli(...args);
      expect([args.join(" "), result.stdout.includes("│")]).toEqual([args.join(" "), true]);
      expect([args.join(" "), result.stdout.includes(ESC)]).toEqual([args.join(" "), false]);
    }
  });

  it("colours a terminal only, and never with NO_COLOR", () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({}, {})).toBe(false);
  });
});
