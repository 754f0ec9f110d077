import type { DuckDBConnection, DuckDBDataChunk } from "@duckdb/node-api";
import { type CanonicalRow, isCanonicalFieldsJson, KeyTextChunk, type RowTexts } from "syncline/sdk";
import { TEXT_SEPARATOR } from "syncline/sdk/sql";
import { streamPages } from "./stream.ts";
import type { Converter } from "./values.ts";

/**
 * Streams orderedDigestSql's `allTexts` query as RowTexts pages, one per DuckDB chunk: one
 * string per row, split here. A row whose texts hold NUL (a value DuckDB cannot render as the
 * engine does) or, with `checkJson` (which fields are JSON columns, when any is), whose JSON
 * values are not canonical (DuckDB keeps JSON as written) goes in `rows`, decoded from the
 * model's columns that follow the texts; only those rows are decoded.
 */
export function streamTexts(
  connection: DuckDBConnection,
  sql: string,
  columns: readonly string[],
  primaryKey: readonly string[],
  checkJson: readonly boolean[] | undefined,
  signal: AbortSignal,
  what: string,
): AsyncGenerator<RowTexts> {
  return streamPages(connection, sql, signal, what, (result) =>
    pageReader(columns, result.columnTypes(), primaryKey, checkJson),
  );
}

type Types = ReturnType<Awaited<ReturnType<DuckDBConnection["stream"]>>["columnTypes"]>;

/** How each chunk becomes a page: which rows pass as texts, how the others are decoded. */
async function pageReader(
  columns: readonly string[],
  types: Types,
  primaryKey: readonly string[],
  checkJson: readonly boolean[] | undefined,
): Promise<(chunk: DuckDBDataChunk) => RowTexts> {
  // values.ts needs the driver's value classes: loaded with the driver, not with the plugin.
  const { converterFor } = await import("./values.ts");
  // The model's columns, after the texts.
  const converters: Converter[] = types.slice(1).map(converterFor);
  return (chunk) => {
    const texts = chunk.getColumnValues(0) as string[];
    const count = texts.length;
    const page: { keys: Array<string | null>; fields: string[]; keyValues: string[]; rows: CanonicalRow[] } = {
      keys: [],
      fields: [],
      keyValues: [],
      rows: [],
    };
    for (let i = 0; i < count; i++) {
      const text = texts[i]!;
      const a = text.indexOf(TEXT_SEPARATOR);
      const b = text.indexOf(TEXT_SEPARATOR, a + 1);
      const fields = text.slice(a + 1, b);
      if (text.includes("\0") || (checkJson && !isCanonicalFieldsJson(fields, checkJson))) {
        page.rows.push(rowAt(chunk, i, columns, converters));
        continue;
      }
      page.keys.push(text.slice(b + 1));
      page.fields.push(fields);
      page.keyValues.push(text.slice(0, a));
    }
    normaliseKeys(primaryKey, page.keys);
    return page;
  };
}

/** Row `i` as canonical values of `columns` (the query's columns after the texts). */
function rowAt(chunk: DuckDBDataChunk, i: number, columns: readonly string[], converters: Converter[]): CanonicalRow {
  const row: CanonicalRow = {};
  for (let c = 0; c < columns.length; c++) row[columns[c]!] = converters[c]!(chunk.getColumnVector(1 + c).getItem(i));
  return row;
}

/** Makes key texts, in place, what DigestChunk.key gives (KeyTextChunk: an empty key, or part, is none). */
function normaliseKeys(primaryKey: readonly string[], texts: Array<string | null>): void {
  const chunk = new TextKeys(primaryKey, texts);
  for (let i = 0; i < texts.length; i++) texts[i] = chunk.key(i) ?? null;
}

class TextKeys extends KeyTextChunk {
  hashIs(): boolean {
    return false;
  }
}
