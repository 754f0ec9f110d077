import type pg from "pg";
import QueryStream from "pg-query-stream";
import {
  type CanonicalRow,
  HexDigestChunk,
  type Model,
  type OrderedRead,
  type OrderedReadRequest,
  type SourceContext,
} from "syncline/sdk";
import { type OrderedDigestSql, orderedDigestSql, postgresDialect } from "syncline/sdk/sql";
import type { PostgresConfig } from "./config.ts";
import { classifyPgError } from "./errors.ts";
import { connect } from "./pool.ts";
import { cursorOptions, streamOn } from "./read.ts";
import { typeName } from "./types.ts";

type Ctx = SourceContext<PostgresConfig>;

/** Keys per query of the second read: one array parameter, one scan of the model each. */
const KEY_BATCH = 50_000;

/**
 * The model's keys ordered by their canonical text (as UTF-8 bytes: COLLATE "C"), each with
 * the md5 of its canonical JSON computed by Postgres (syncline/sdk/sql's orderedDigestSql),
 * then the rows of the keys the engine asks for. Both run in one REPEATABLE READ READ ONLY
 * transaction on one connection, so they see the same state of the model; both stream
 * through a server-side cursor, so memory does not grow with the model. Resolves to undefined
 * (the engine then reads the model whole) where the canonical rendering cannot be trusted
 * (see `eligible`) or a mapped column's type has none.
 *
 * No `allRows` (a request for it resolves to undefined): a first sync streaming the model to its destination would hold this
 * transaction, and with it the source database's oldest snapshot (and its vacuum), open for as
 * long as the destination takes — hours behind a rate limit. A first sync reads the model whole
 * and stages it instead, and the transaction ends with the read.
 */
export async function readOrdered(
  ctx: Ctx,
  model: Model,
  request: OrderedReadRequest,
): Promise<OrderedRead | undefined> {
  ctx.signal.throwIfAborted();
  if (request.allRows) return undefined; // see below: no allRows
  const client = await connect(ctx);
  let queries: OrderedDigestSql | undefined;
  try {
    // Checked before BEGIN: a wire-compatible database may refuse this transaction's options.
    if (await eligible(client)) {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      queries = await digestSql(client, model, request);
      if (queries === undefined) await client.query("ROLLBACK");
    }
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw classifyPgError(error, "starting the model's ordered read from Postgres");
  }
  if (queries === undefined) {
    client.release();
    return undefined;
  }
  let broken: Error | boolean | undefined;
  const failing = <T>(rows: AsyncGenerator<T>) => markBroken(rows, (error) => (broken = error));
  const sql = queries;
  return {
    chunks: failing(digestChunks(ctx, client, sql.digests, request.primaryKey)),
    rows: (keys) => failing(rowsOf(ctx, client, sql, keys)),
    async close() {
      if (!broken && !ctx.signal.aborted) await client.query("ROLLBACK").catch((error: Error) => (broken = error));
      // After a cancel or an error the session may be mid-statement: discard it.
      client.release(broken || ctx.signal.aborted ? (broken instanceof Error ? broken : true) : undefined);
    },
  };
}

/**
 * Whether this server renders canonical JSON as the dialect writes it: Postgres itself (not
 * Redshift or another wire-compatible database), 13 or later, UTF-8 (md5 and COLLATE "C" then
 * work on the UTF-8 bytes), standard string literals, and ISO dates (what the plugin parses).
 */
async function eligible(client: pg.PoolClient): Promise<boolean> {
  const version = (await client.query<{ v: string }>("SELECT version() AS v")).rows[0]?.v ?? "";
  if (!version.startsWith("PostgreSQL ") || /redshift/i.test(version)) return false;
  const settings = await client
    .query<{ n: number; e: string; s: string; d: string }>(
      `SELECT current_setting('server_version_num')::int AS n, current_setting('server_encoding') AS e,
         current_setting('standard_conforming_strings') AS s, current_setting('DateStyle') AS d`,
    )
    .catch(() => undefined); // a server that cannot say is read whole
  const row = settings?.rows[0];
  return !!row && row.n >= 130000 && row.e === "UTF8" && row.s === "on" && row.d.startsWith("ISO");
}

/** The ordered read's SQL for the model's needed columns, as their types allow. */
async function digestSql(
  client: pg.PoolClient,
  model: Model,
  request: OrderedReadRequest,
): Promise<OrderedDigestSql | undefined> {
  const needed = [...new Set([...request.columns, ...request.primaryKey, ...request.fields.map(([, c]) => c)])];
  const result = await client.query(`${postgresDialect.select(model, needed)} LIMIT 0`);
  const types = new Map(result.fields.map((field) => [field.name, typeName(field.dataTypeID)]));
  return orderedDigestSql(postgresDialect, model, request, types);
}

async function* digestChunks(
  ctx: Ctx,
  client: pg.PoolClient,
  sql: string,
  primaryKey: readonly string[],
): AsyncGenerator<HexDigestChunk> {
  // Rows as [hash, key] arrays of text, unparsed.
  const query = new QueryStream(sql, [], { batchSize: ctx.config.batchSize, rowMode: "array" });
  for await (const rows of streamOn<[string, string | null]>(ctx, client, query, "reading the model's keys")) {
    yield new HexDigestChunk(
      primaryKey,
      rows.map((row) => row[1]),
      rows.map((row) => row[0]),
    );
  }
}

async function* rowsOf(
  ctx: Ctx,
  client: pg.PoolClient,
  sql: OrderedDigestSql,
  keys: Iterable<readonly string[]>,
): AsyncGenerator<CanonicalRow[]> {
  const text = sql.rows("unnest($1::text[]) AS keys(k)");
  let batch: string[] = [];
  const fetch = (wanted: string[]) =>
    streamOn<CanonicalRow>(
      ctx,
      client,
      new QueryStream(text, [wanted], cursorOptions(ctx)),
      "reading the changed rows",
    );
  for (const page of keys) {
    batch.push(...page);
    if (batch.length >= KEY_BATCH) {
      yield* fetch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield* fetch(batch);
}

/** Passes the rows through, noting an error (the connection is then discarded on close). */
async function* markBroken<T>(rows: AsyncGenerator<T>, broke: (error: Error | boolean) => void): AsyncGenerator<T> {
  try {
    yield* rows;
  } catch (error) {
    broke(error instanceof Error ? error : true);
    throw error;
  }
}
