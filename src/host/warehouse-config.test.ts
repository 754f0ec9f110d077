import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import duckdb from "../../plugins/duckdb/index.ts";
import type { SourceDefinition } from "../sdk/source.ts";
import { loadConfig } from "./load-config.ts";
import { resolveDiff } from "./warehouse-config.ts";

const config = (source: string, diff: string) => `
sources:
  wh: ${source}
destinations:
  out: { type: file, path: ./out }
syncs:
  contacts:
    source: wh
    model: { sql: "select 1 as id, 'a' as email" }
    primaryKey: id
    destination: out
    object: contacts
    mapping: { email: email }
    ${diff}
`;

function write(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "syncline-config-"));
  writeFileSync(join(dir, "syncline.yaml"), text);
  return join(dir, "syncline.yaml");
}

async function refusal(text: string): Promise<string> {
  try {
    await loadConfig(write(text), {});
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

describe("diff: warehouse in the config", () => {
  it("is carried into the sync's spec, in both forms; local stays the default", async () => {
    const short = await loadConfig(write(config('{ type: duckdb, path: ":memory:" }', "diff: warehouse")), {});
    expect(short.syncs.get("contacts")?.spec.diff).toEqual({ mode: "warehouse", schema: "syncline" });
    const long = await loadConfig(
      write(config('{ type: duckdb, path: ":memory:" }', "diff: { mode: warehouse, schema: reverse_etl }")),
      {},
    );
    expect(long.syncs.get("contacts")?.spec.diff).toEqual({ mode: "warehouse", schema: "reverse_etl" });
    const none = await loadConfig(write(config('{ type: duckdb, path: ":memory:" }', "")), {});
    expect(none.syncs.get("contacts")?.spec.diff).toBeUndefined();
  });

  it("refuses a read-only DuckDB file, naming the sync and saying why", async () => {
    const message = await refusal(
      config("{ type: duckdb, path: ./w.duckdb, seed: ./none.sql, readOnly: true }", "diff: warehouse"),
    );
    expect(message).toContain('syncs.contacts.diff: sync "contacts" computes the diff in source "wh"');
    expect(message).toContain("must be opened read-write");
  });

  it("refuses a schema name that is not a plain identifier", async () => {
    const message = await refusal(
      config('{ type: duckdb, path: ":memory:" }', 'diff: { mode: warehouse, schema: "a.b" }'),
    );
    expect(message).toContain("syncs.contacts.diff");
  });

  it("refuses warehouse mode for a source that cannot run SQL, naming the sync and the source", () => {
    const { warehouse: _, ...plain } = duckdb as SourceDefinition<unknown>;
    const problems: string[] = [];
    const source = { name: "files", type: "csv", plugin: plain, config: {}, state: new Map(), baseDir: "." };
    expect(resolveDiff("warehouse", "contacts", source, problems)).toEqual({ mode: "warehouse", schema: "syncline" });
    expect(problems).toEqual([
      'syncs.contacts.diff: sync "contacts" asks for the diff in the warehouse, but source "files" (csv) cannot run it — use diff: local, or a duckdb, postgres, snowflake or bigquery source',
    ]);
  });
});
