import type { DuckStore, StoredResult } from "syncline/sdk/testing";
import type { ColumnEncoding } from "./encode.ts";
import type { SnowflakeErrorBody } from "./errors.ts";
import { PARAMETERS } from "./parameters.ts";
import type { Binding } from "./statements.ts";

export interface Session {
  id: number;
  user: string;
  role: string;
  warehouse: string | undefined;
  database: string | undefined;
  schema: string | undefined;
}

export interface Query {
  id: string;
  requestId: string;
  sql: string;
  session: Session;
  startedAt: number;
  readyAt: number;
  timeoutSeconds: number;
  state: "running" | "done" | "failed" | "aborted";
  result?: StoredResult;
  encodings?: ColumnEncoding[];
  error?: SnowflakeErrorBody;
  /** Bind variables sent with the statement (warehouse mode's bulk insert). */
  bindings?: Record<string, Binding> | undefined;
}

/**
 * A finished statement's result as the query-request / getResultUrl response carries it:
 * `rowtype`, the first rows inline in `rowset`, the rest as `chunks` on a stage URL that the
 * driver downloads with the result's SSE-C headers (`chunkHeaders`).
 */
export async function resultBody(
  store: DuckStore,
  query: Query,
  origin: string,
  chunkKey: string,
  options: { inlineRows?: number; chunkRows?: number },
): Promise<Record<string, unknown>> {
  const result = query.result!;
  const inline = Math.min(result.rows, options.inlineRows ?? 1000);
  const chunkRows = options.chunkRows ?? 10_000;
  const chunks: Array<Record<string, unknown>> = [];
  for (let offset = inline, i = 0; offset < result.rows; offset += chunkRows, i++) {
    const rowCount = Math.min(chunkRows, result.rows - offset);
    chunks.push({
      url: `${origin}/stage/results/${query.id}/main/data_0_0_${i}?offset=${offset}&rows=${rowCount}`,
      rowCount,
      uncompressedSize: rowCount * 100,
      compressedSize: rowCount * 40,
    });
  }
  const { session } = query;
  return {
    data: {
      parameters: PARAMETERS,
      rowtype: query.encodings!.map((encoding) => encoding.rowtype),
      rowset: await pageRows(store, query, 0, inline),
      total: result.rows,
      returned: result.rows,
      queryId: query.id,
      databaseProvider: null,
      finalDatabaseName: session.database ?? null,
      finalSchemaName: session.schema ?? null,
      finalWarehouseName: session.warehouse ?? null,
      finalRoleName: session.role,
      numberOfBinds: 0,
      arrayBindSupported: false,
      statementTypeId: 4096,
      version: 1,
      sendResultTime: Date.now(),
      queryResultFormat: "json",
      queryContext: { entries: [{ id: 0, timestamp: Date.now(), priority: 0, context: null }] },
      ...(chunks.length > 0
        ? {
            chunks,
            chunkHeaders: {
              "x-amz-server-side-encryption-customer-algorithm": "AES256",
              "x-amz-server-side-encryption-customer-key": chunkKey,
            },
          }
        : {}),
    },
    code: null,
    message: null,
    success: true,
  };
}

/** Rows of a result in the JSON result format: one array of strings (or null) per row. */
export async function pageRows(
  store: DuckStore,
  query: Query,
  offset: number,
  limit: number,
): Promise<Array<Array<string | null>>> {
  const encodings = query.encodings!;
  const rows = await store.page(
    query.result!.table,
    encodings.map((e) => e.expression),
    offset,
    limit,
  );
  for (const row of rows) {
    for (let i = 0; i < encodings.length; i++) {
      const finish = encodings[i]!.finish;
      if (finish && row[i] !== null) row[i] = finish(row[i]!);
    }
  }
  return rows;
}
