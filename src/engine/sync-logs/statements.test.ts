import { describe, expect, it } from "vitest";
import { dialectFor } from "../../sdk/sql/dialects.ts";
import { LogStatements } from "./statements.ts";

const run = { id: "run_mabc123", sync: "o'brien" };

describe("sync log statements", () => {
  it("types the tables per warehouse: text, 64-bit integers, UTC timestamps", () => {
    const types = (dialect: "duckdb" | "postgres" | "snowflake" | "bigquery") =>
      new LogStatements(dialectFor(dialect), "logs", run).createTables()[0]!;
    expect(types("postgres")).toContain('"run_id" TEXT, "sync" TEXT');
    expect(types("postgres")).toContain('"duration_ms" BIGINT');
    expect(types("duckdb")).toContain('"created_at" TIMESTAMP');
    expect(types("bigquery")).toMatch(/^CREATE TABLE IF NOT EXISTS `logs`.`sync_runs` \(`run_id` STRING/);
    expect(types("bigquery")).toContain("`duration_ms` INT64");
    // Upper case on Snowflake, where unquoted names fold to it: `logs.sync_runs` finds them.
    expect(types("snowflake")).toMatch(/^CREATE TABLE IF NOT EXISTS "LOGS"."SYNC_RUNS" \("RUN_ID" VARCHAR/);
  });

  it("stages per run, so two runs' loads never share a staging table", () => {
    const d = dialectFor("postgres");
    const a = new LogStatements(d, "logs", run).prepareStages().join("\n");
    const b = new LogStatements(d, "logs", { id: "run_other", sync: "x" }).prepareStages().join("\n");
    expect(a).toContain('"logs"."_sl_chg_run_mabc123"');
    expect(b).toContain('"logs"."_sl_chg_run_other"');
    expect(a).not.toContain("run_other");
  });

  it("replaces the run's rows and its records' snapshot rows in one transaction, quoting values", () => {
    const commit = new LogStatements(dialectFor("postgres"), "logs", run).commit();
    expect(commit[0]).toBe("BEGIN");
    expect(commit.at(-1)).toBe("COMMIT");
    expect(commit[1]).toBe(`DELETE FROM "logs"."sync_runs" WHERE "run_id" = 'run_mabc123'`);
    expect(commit[2]).toBe(`DELETE FROM "logs"."sync_changelog" WHERE "run_id" = 'run_mabc123'`);
    expect(commit.join("\n")).toContain(
      `"sync" = 'o''brien' AND "key" IN (SELECT "key" FROM "logs"."_sl_mrg_run_mabc123")`,
    );
    // The runs row goes last: a reader who sees the run sees its changelog.
    expect(commit.at(-2)).toMatch(/^INSERT INTO "logs"."sync_runs"/);
  });

  it("merges the snapshot: the last staged row per key, never over a newer one, keeping the last success", () => {
    const sql = new LogStatements(dialectFor("duckdb"), "logs", run).mergeSnapshot();
    expect(sql).toContain('NOT EXISTS (SELECT 1 FROM "logs"."_sl_snap_run_mabc123" s2 WHERE s2."key" = s."key"');
    expect(sql).toContain('t."updated_at" <= CAST(s."updated_at" AS TIMESTAMP)');
    expect(sql).toContain('COALESCE(CAST(s."last_success_at" AS TIMESTAMP), t."last_success_at")');
  });

  it("writes a multi-row INSERT with the dialect's literals (BigQuery escapes with backslashes)", () => {
    const statements = new LogStatements(dialectFor("bigquery"), "logs", run);
    const sql = statements.insert(
      statements.stages.runs,
      [
        ["run_id", "text"],
        ["error_message", "text"],
      ],
      [
        ["run_1", "it's\nbroken"],
        ["run_2", null],
      ],
    );
    expect(sql).toBe(
      "INSERT INTO `logs`.`_sl_runs_run_mabc123` (`run_id`, `error_message`) VALUES ('run_1', 'it\\'s\\nbroken'), ('run_2', NULL)",
    );
  });
});
