import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import duckdb from "../../plugins/duckdb/index.ts";
import type { SourceDefinition } from "../sdk/source.ts";
import { loadConfig } from "./load-config.ts";
import { resolveSyncLogs } from "./sync-logs-config.ts";

const config = (source: string, sync: string) => `
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
    ${sync}
`;

function write(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "syncline-config-"));
  writeFileSync(join(dir, "syncline.yaml"), text);
  return join(dir, "syncline.yaml");
}

async function specOf(source: string, sync = "") {
  return (await loadConfig(write(config(source, sync)), {})).syncs.get("contacts")?.spec.syncLogs;
}

async function refusal(text: string): Promise<string> {
  try {
    await loadConfig(write(text), {});
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

const memory = 'type: duckdb, path: ":memory:"';

describe("syncLogs in the config", () => {
  it("comes from the source for all its syncs; a sync overrides it or opts out with false", async () => {
    expect(await specOf(`{ ${memory}, syncLogs: { schema: ops_logs } }`)).toEqual({ schema: "ops_logs" });
    expect(await specOf(`{ ${memory}, syncLogs: true }`)).toEqual({ schema: "syncline" });
    expect(await specOf(`{ ${memory}, syncLogs: true }`, "syncLogs: { schema: mine }")).toEqual({ schema: "mine" });
    expect(await specOf(`{ ${memory}, syncLogs: true }`, "syncLogs: false")).toBeUndefined();
    expect(await specOf(`{ ${memory} }`, "syncLogs: {}")).toEqual({ schema: "syncline" });
    expect(await specOf(`{ ${memory} }`)).toBeUndefined();
  });

  it("refuses unknown keys and bad schema names, on the source and on the sync", async () => {
    expect(await refusal(config(`{ ${memory}, syncLogs: { schema: a, table: b } }`, ""))).toContain(
      "sources.wh.syncLogs",
    );
    expect(await refusal(config(`{ ${memory} }`, 'syncLogs: { schema: "bad-name" }'))).toContain(
      "syncs.contacts.syncLogs",
    );
    expect(await refusal(config(`{ ${memory} }`, "syncLogs: yes please"))).toContain(
      "must be true, false or { schema: <name> }",
    );
  });

  it("refuses a read-only DuckDB file, naming the sync, the source and why", async () => {
    const message = await refusal(config("{ type: duckdb, path: ./w.duckdb, readOnly: true, syncLogs: true }", ""));
    expect(message).toContain('sources.wh.syncLogs: sync "contacts" loads its logs into source "wh"');
    expect(message).toContain("must be opened read-write");
  });

  it("refuses a source that is not a warehouse, with the fix", () => {
    const problems: string[] = [];
    const { warehouse: _, ...plain } = duckdb as SourceDefinition<unknown>;
    const source = { name: "api", type: "rest", plugin: plain, config: {}, state: new Map(), baseDir: "." };
    resolveSyncLogs({ schema: "logs", at: "syncs.contacts.syncLogs" }, "contacts", source, problems);
    expect(problems).toEqual([
      expect.stringContaining(
        'syncs.contacts.syncLogs: sync logs are loaded into the sync\'s source, but source "api" (rest)',
      ),
    ]);
    expect(problems[0]).toContain("set syncLogs: false");
  });
});
