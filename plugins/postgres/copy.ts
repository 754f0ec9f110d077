import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Operation } from "syncline/sdk";
import type { WritePlan } from "../sql-table/plan.ts";
import { quoteIdent } from "./sql.ts";
import type { TableInfo } from "./table.ts";

/**
 * The fast path for inserts and upserts: the batch is COPYed as text into a session's temp
 * table, then moved with one INSERT … SELECT (… ON CONFLICT), each value cast to its column's
 * base type as the unnest() path does, so a value is refused for the same reasons on both.
 * COPY parses faster than a text[] parameter, which is what the throughput target needs.
 */
export async function copyWrite(
  client: pg.PoolClient,
  table: TableInfo,
  plan: WritePlan,
  operation: Operation,
  rows: ReadonlyArray<ReadonlyArray<string | null>>,
): Promise<void> {
  const width = plan.columns.length;
  const stage = `syncline_stage_${width}`;
  const columns = plan.columns.map((_, i) => `c${i} text`).join(", ");
  // Rows vanish at each commit; the table lives as long as the pooled session.
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (${columns}) ON COMMIT DELETE ROWS`);
  await client.query(`TRUNCATE ${stage}`);
  const lines = rows.map((row) => row.map(copyText).join("\t")).join("\n");
  await pipeline(Readable.from([`${lines}\n`]), client.query(copyFrom(`COPY ${stage} FROM STDIN`)));
  const names = plan.columns.map(quoteIdent).join(", ");
  const values = plan.columns.map((column, i) => `s.c${i}::${table.columns.get(column)!.base}`).join(", ");
  let sql = `INSERT INTO ${table.sql} (${names}) SELECT ${values} FROM ${stage} AS s`;
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
