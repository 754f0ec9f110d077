import type { Operation } from "syncline/sdk";
import type { WritePlan } from "../sql-table/plan.ts";
import { quoteIdent } from "./sql.ts";
import type { TableInfo } from "./table.ts";

/**
 * One statement for a whole batch part: each column travels as one text[] parameter,
 * unnest() turns them back into rows (with their position `n`), each value is cast to its
 * column's base type. A few parameters whatever the row count, so a 5,000-row batch is one
 * round trip and one plan.
 */
export function writeSql(table: TableInfo, plan: WritePlan, operation: Operation): string {
  const typed = (column: string) => `s.c${plan.columns.indexOf(column)}::${table.columns.get(column)!.base}`;
  const arrays = plan.columns.map((_, i) => `$${i + 1}::text[]`).join(", ");
  const aliases = plan.columns.map((_, i) => `c${i}`).join(", ");
  const source = `unnest(${arrays}) WITH ORDINALITY AS s(${aliases}, n)`;
  const names = plan.columns.map(quoteIdent).join(", ");
  const values = plan.columns.map(typed).join(", ");
  const matches = plan.key.map((column) => `t.${quoteIdent(column)} = ${typed(column)}`).join(" AND ");
  const others = plan.columns.filter((column) => !plan.key.includes(column));
  switch (operation) {
    case "insert":
      return `INSERT INTO ${table.sql} (${names}) SELECT ${values} FROM ${source}`;
    case "upsert": {
      const set = others.map((column) => `${quoteIdent(column)} = EXCLUDED.${quoteIdent(column)}`).join(", ");
      const conflict = plan.key.map(quoteIdent).join(", ");
      const action = set ? `DO UPDATE SET ${set}` : "DO NOTHING";
      return `INSERT INTO ${table.sql} (${names}) SELECT ${values} FROM ${source} ON CONFLICT (${conflict}) ${action}`;
    }
    case "update": {
      const assigned = others.length > 0 ? others : plan.key;
      const set = assigned.map((column) => `${quoteIdent(column)} = ${typed(column)}`).join(", ");
      return `UPDATE ${table.sql} AS t SET ${set} FROM ${source} WHERE ${matches} RETURNING s.n`;
    }
    case "delete":
      return `DELETE FROM ${table.sql} AS t USING ${source} WHERE ${matches}`;
  }
}

/** The parameters of writeSql: one array of texts per column. */
export function columnArrays(
  rows: ReadonlyArray<ReadonlyArray<string | null>>,
  width: number,
): Array<Array<string | null>> {
  const arrays: Array<Array<string | null>> = Array.from({ length: width }, () => []);
  for (const row of rows) for (let i = 0; i < width; i++) arrays[i]!.push(row[i] ?? null);
  return arrays;
}
