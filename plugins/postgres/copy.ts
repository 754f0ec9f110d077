import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Operation } from "syncline/sdk";
import type { WritePlan } from "../sql-table/plan.ts";
import { quoteIdent } from "./sql.ts";
import type { TableInfo } from "./table.ts";

/**
 * The fast path for inserts and upserts: the batch is COPYed into a temp table shaped like
 * the target (dropped at commit, or by the rollback to the caller's savepoint), then moved
 * with one INSERT … SELECT (… ON CONFLICT). COPY parses faster than text[] parameters, which
 * is what the throughput target needs. Any refusal (at COPY or at the INSERT) sends the
 * batch down the unnest() path, which isolates the records at fault.
 */
export async function copyWrite(
  client: pg.PoolClient,
  table: TableInfo,
  plan: WritePlan,
  operation: Operation,
  rows: ReadonlyArray<ReadonlyArray<string | null>>,
): Promise<void> {
  const names = plan.columns.map(quoteIdent).join(", ");
  // Typed like the target (types and lengths) so COPY parses each value once, straight into
  // its type; a value that does not fit fails the COPY, and the caller takes the slow path.
  await client.query(
    `CREATE TEMP TABLE syncline_stage ON COMMIT DROP AS SELECT ${names} FROM ${table.sql} WITH NO DATA`,
  );
  const lines = rows.map((row) => row.map(copyText).join("\t")).join("\n");
  await pipeline(Readable.from([`${lines}\n`]), client.query(copyFrom("COPY syncline_stage FROM STDIN")));
  let sql = `INSERT INTO ${table.sql} (${names}) SELECT ${names} FROM syncline_stage`;
  if (operation === "upsert") {
    const others = plan.columns.filter((column) => !plan.key.includes(column));
    const set = others.map((column) => `${quoteIdent(column)} = EXCLUDED.${quoteIdent(column)}`).join(", ");
    sql += ` ON CONFLICT (${plan.key.map(quoteIdent).join(", ")}) ${set ? `DO UPDATE SET ${set}` : "DO NOTHING"}`;
  }
  await client.query(sql);
}

/** A value in COPY's text format: `\N` for NULL, backslash escapes for the separators. */
function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return value.replace(/[\\\t\n\r]/g, (char) =>
    char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r",
  );
}
