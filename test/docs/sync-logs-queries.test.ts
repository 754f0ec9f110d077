import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DuckDBFileBackend, type WarehouseBackend } from "../support/backends.ts";
import { Harness, people } from "../support/harness.ts";
import { PostgresBackend } from "../support/postgres-backend.ts";
import { RecordedChangelog } from "../support/recorded-changelog.ts";
import { requireService } from "../support/services.ts";

// The example queries of docs/sync-logs.md, run as written on the logs of real runs.
const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "sync-logs.md"), "utf8");
const queries = [...doc.matchAll(/^```sql\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
const reachable = await requireService("postgres");

describe.each([
  ["DuckDB", () => new DuckDBFileBackend() as WarehouseBackend, true],
  ["Postgres", () => new PostgresBackend() as WarehouseBackend, reachable],
])("the example queries of docs/sync-logs.md on %s", (_name, backend, available) => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it.skipIf(!available)("answer what they say", async () => {
    expect(queries).toHaveLength(3);
    const warehouse = backend();
    const schema = warehouse.diffSchema;
    let recorder: RecordedChangelog | undefined;
    harness = new Harness({ backend: () => warehouse, syncLogs: { schema }, entries: (id) => recorder!.entries(id) });
    recorder = new RecordedChangelog(harness.destination);
    recorder.decide = (record) => (record.key === "3" || record.key === "4" ? "reject" : "ok");
    const h = await harness.setup();
    await h.sql(people(1, 5));
    const run = await h.run();
    await h.engine.syncLogsSettled();
    // Record 3 has been failing for 4 days, record 4 since today.
    await h.sql(
      `UPDATE "${schema}".sync_snapshot SET first_failed_at = first_failed_at - INTERVAL '4 days' WHERE key = '3'`,
    );
    const [rejected, perDay, history] = queries.map((sql) =>
      sql.replaceAll("syncline.", `"${schema}".`).replaceAll("'contacts'", "'people'").replace(/;\s*$/, ""),
    );
    const old = await h.backend.rows(rejected!);
    expect(old.map((row) => String(row.key))).toEqual(["3"]);
    expect(old[0]).toMatchObject({ sync: "people", code: "INVALID", reason: "record 3 is invalid" });
    const days = await h.backend.rows(perDay!);
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ sync: "people", status: "partial" });
    expect(Number(days[0]!.runs)).toBe(1);
    expect(run.status).toBe("partial");
    const story = await h.backend.rows(history!);
    expect(story).toHaveLength(1);
    expect(story[0]).toMatchObject({ operation: "add", outcome: "reject", code: "INVALID" });
  });
});
