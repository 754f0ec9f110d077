import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { Receiver } from "../support/receiver.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-history-"));
const config = join(dir, "syncline.yaml");
const receiver = new Receiver();
const SECRET = "history-test-token-0123456789";
const cli = (...args: string[]) => runCli([...args, "--config", config]);

beforeAll(async () => {
  await receiver.start();
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(
    `CREATE TABLE people AS SELECT i AS id, CASE WHEN i = 3 THEN 'bad' ELSE 'p' || i || '@example.com' END AS email FROM range(1, 8) t(i)`,
  );
  connection.closeSync();
  instance.closeSync();
  writeFileSync(
    config,
    `sources:
  wh: { type: duckdb, path: ./wh.duckdb }
destinations:
  hook: { type: webhook, url: "${receiver.url}?access_token=${SECRET}", maxRecords: 5 }
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

describe("syncline history and syncline calls", () => {
  it("show a record's runs with outcome and reason, and the destination's last calls without secrets", async () => {
    receiver.fail = (batch) => (batch.records.some((r) => r.fields.email === "bad") ? 422 : undefined);
    expect((await cli("run", "people")).code).toBe(3);
    receiver.fail = () => undefined;
    expect((await cli("run", "people")).code).toBe(0);

    const history = await cli("history", "people", "3", "--json");
    expect(history.code).toBe(0);
    const rows = JSON.parse(history.stdout) as Array<{ outcome: string; code: string | null; operation: string }>;
    expect(rows.map((r) => [r.operation, r.outcome, r.code])).toEqual([
      ["add", "ok", null],
      ["add", "reject", "http_422"],
    ]);
    const text = await cli("history", "people", "3");
    expect(text.stdout).toMatch(/reject/);
    expect(text.stdout).toContain("2 run(s) shown");
    expect((await cli("history", "people", "nope")).stdout).toContain('no run of people sent the key "nope"');

    const calls = await cli("calls", "hook", "--json");
    expect(calls.code).toBe(0);
    const list = JSON.parse(calls.stdout) as Array<{ method: string; url: string; status: number }>;
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.map((c) => c.status)).toContain(422);
    expect(list[0]!.method).toBe("POST");
    expect(list[0]!.url).toContain("access_token=***");
    expect(calls.stdout).not.toContain(SECRET);
    expect((await cli("calls", "hook")).stdout).toMatch(/POST/);

    const unknown = await cli("calls", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown destination "nope"');
    const missing = await cli("history", "people");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("the record's key is missing");
  });
});
