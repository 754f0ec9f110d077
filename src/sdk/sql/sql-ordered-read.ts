import { HexDigestChunk } from "../digest-chunk.ts";
import type { OrderedRead, OrderedReadRequest } from "../ordered-read.ts";
import type { Model } from "../source.ts";
import type { CanonicalRow } from "../values.ts";
import type { Dialect } from "./dialect.ts";
import { orderedDigestSql } from "./ordered-digest.ts";

/** How many keys one rows query takes: at most `maxKeys`, and `maxChars` characters of key text. */
export interface KeyBatchLimits {
  maxKeys: number;
  maxChars: number;
}

/** What a warehouse source gives storedResultOrderedRead. */
export interface StoredResultSource {
  dialect: Dialect;
  /** The columns' types, as the dialect names them (from a query that reads no rows). */
  types(columns: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Runs `select` to its end, its result stored unread, and gives a model that reads that result. */
  store(select: string): Promise<Model>;
  /** Streams a query's rows as `read` does; `keys`, when given, bound as its one parameter. */
  stream(sql: string, keys?: string[]): AsyncIterable<CanonicalRow[]>;
  /** The relation of the bound keys (one text column `k`), for orderedDigestSql's `rows`. */
  keys: string;
  batch: KeyBatchLimits;
}

/**
 * SourceDefinition.readOrdered for a warehouse that keeps a query's result (Snowflake, BigQuery):
 * the model's needed columns are selected once into a stored result, then orderedDigestSql's two
 * queries read that result, so the sorted digests and the changed rows come from one state of
 * any model (a table, a view or SQL) whatever the warehouse's isolation. The digest rows become
 * HexDigestChunks (read by position: a warehouse may change the case of the columns' names);
 * the keys the engine asks for go to the rows query in batches within `batch`. Undefined when a
 * needed column's type has no canonical rendering (the engine then reads the model whole),
 * found before the model is run.
 */
export async function storedResultOrderedRead(
  model: Model,
  request: OrderedReadRequest,
  source: StoredResultSource,
): Promise<OrderedRead | undefined> {
  // Streaming every row would cost two more scans of the stored result than reading the model
  // once (and warehouses like these bill by the bytes scanned): a first sync reads it with `read`.
  if (request.allRows) return undefined;
  const needed = [...new Set([...request.columns, ...request.primaryKey, ...request.fields.map(([, c]) => c)])];
  const types = await source.types(needed);
  if (orderedDigestSql(source.dialect, model, request, types) === undefined) return undefined;
  const stored = await source.store(source.dialect.select(model, needed));
  const queries = orderedDigestSql(source.dialect, stored, request, types)!;
  const { primaryKey } = request;
  return {
    chunks: (async function* () {
      for await (const page of source.stream(queries.digests)) {
        const hashes = new Array<string>(page.length);
        const keys = new Array<string | null>(page.length);
        for (let i = 0; i < page.length; i++) {
          const [hash, key] = Object.values(page[i]!);
          hashes[i] = typeof hash === "string" ? hash : "";
          keys[i] = typeof key === "string" ? key : null;
        }
        yield new HexDigestChunk(primaryKey, keys, hashes);
      }
    })(),
    rows: async function* (keys) {
      const sql = queries.rows(source.keys);
      for (const batch of keyBatches(keys, source.batch)) yield* source.stream(sql, batch);
    },
    close: async () => {},
  };
}

/** The keys in batches within `limits` (a key longer than maxChars goes alone). */
export function* keyBatches(keys: Iterable<readonly string[]>, limits: KeyBatchLimits): Generator<string[]> {
  let batch: string[] = [];
  let chars = 0;
  for (const page of keys) {
    for (const key of page) {
      if (batch.length > 0 && (batch.length >= limits.maxKeys || chars + key.length > limits.maxChars)) {
        yield batch;
        batch = [];
        chars = 0;
      }
      batch.push(key);
      chars += key.length;
    }
  }
  if (batch.length > 0) yield batch;
}
