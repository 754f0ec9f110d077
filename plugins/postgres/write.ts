import type pg from "pg";
import {
  type DestinationContext,
  type DestinationRecord,
  type Operation,
  type Outcome,
  ok,
  reject,
  type WriteBatch,
} from "syncline/sdk";
import { savepoint } from "../sql-table/connection.ts";
import { isolate, type RecordRefusal } from "../sql-table/isolate.ts";
import { syncOptionsOf } from "../sql-table/options.ts";
import { planWrite, recordTexts, type WritePlan } from "../sql-table/plan.ts";
import { forgetTable, tableOf } from "../sql-table/table.ts";
import { rowId } from "../sql-table/values.ts";
import { copyWrite } from "./copy.ts";
import type { PostgresDestinationConfig } from "./destination-config.ts";
import { pgRefusal, pgWriteError } from "./destination-errors.ts";
import { backendPid, cancelBackend, connect } from "./pool.ts";
import { POSTGRES_TABLES, type TableInfo } from "./table.ts";
import { columnArrays, writeSql } from "./upsert-sql.ts";

type Ctx = DestinationContext<PostgresDestinationConfig>;

interface Row {
  record: DestinationRecord;
  texts: Array<string | null>;
}

/**
 * Writes one batch in one transaction. A record the database refuses (constraint, bad
 * value) is isolated by splitting under savepoints and rejected alone with the database's
 * message; the rest commit. Anything else rolls the whole batch back and is thrown.
 */
export async function writeBatch(ctx: Ctx, input: WriteBatch): Promise<Outcome[]> {
  const options = syncOptionsOf(input.options);
  const batch = { ...input, object: options.table ?? input.object };
  const client = await connect(ctx);
  let broken: Error | undefined;
  // A call the engine gives up on (timeout, cancelled run) is cancelled on the server, so its
  // transaction rolls back rather than committing behind the engine's back.
  const pid = backendPid(client);
  const onAbort = () => void cancelBackend(ctx, pid, "write");
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const table = await tableOf(POSTGRES_TABLES, ctx.state, client, batch.object, options);
    const plan = planWrite(table, batch, options);
    const rows: Row[] = [];
    const outcomes = new Map<string, Outcome>();
    for (const record of batch.records) {
      const texts = recordTexts(record, plan, batch.operation);
      if (texts) rows.push({ record, texts });
      else outcomes.set(record.key, noRowId(record));
    }
    const sql = writeSql(table, plan, batch.operation);
    const missing = new Set<Row>();
    await client.query("BEGIN");
    const refused =
      (await fastPath(client, table, plan, batch.operation, rows)) ??
      (await isolate(
        rows,
        (part) => savepoint(client, () => run(client, sql, plan, part, batch.operation, missing)),
        pgRefusal,
      ));
    ctx.signal.throwIfAborted();
    await client.query("COMMIT");
    for (const { record } of missing) outcomes.set(record.key, notFound(record, batch.object));
    for (const [{ record }, reason] of refused) outcomes.set(record.key, reject(record, reason));
    return batch.records.map((record) => outcomes.get(record.key) ?? delivered(record, plan, batch.operation));
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    await client.query("ROLLBACK").catch(() => undefined);
    if (["42P01", "42703"].includes((error as { code?: string }).code ?? "")) forgetTable(ctx.state, batch.object);
    throw pgWriteError(error, batch.object);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    client.release(broken);
  }
}

/**
 * Inserts and upserts go through COPY first; when the database refuses a record, that
 * attempt is rolled back and the batch takes the splitting path. Undefined then.
 */
async function fastPath(
  client: pg.PoolClient,
  table: TableInfo,
  plan: WritePlan,
  operation: Operation,
  rows: readonly Row[],
): Promise<Map<Row, RecordRefusal> | undefined> {
  if ((operation !== "upsert" && operation !== "insert") || rows.length === 0) return undefined;
  try {
    await savepoint(client, () =>
      copyWrite(
        client,
        table,
        plan,
        operation,
        rows.map((row) => row.texts),
      ),
    );
    return new Map();
  } catch (error) {
    if (pgRefusal(error)) return undefined;
    throw error;
  }
}

/** Runs the statement for `part`; for an update, notes the rows that matched nothing. */
async function run(
  client: pg.PoolClient,
  sql: string,
  plan: WritePlan,
  part: readonly Row[],
  operation: string,
  missing: Set<Row>,
): Promise<void> {
  const result = await client.query<{ n: string }>(
    sql,
    columnArrays(
      part.map((row) => row.texts),
      plan.columns.length,
    ),
  );
  if (operation !== "update") return;
  const matched = new Set(result.rows.map((row) => Number(row.n) - 1));
  part.forEach((row, index) => {
    if (matched.has(index)) missing.delete(row);
    else missing.add(row);
  });
}

function delivered(record: DestinationRecord, plan: WritePlan, operation: string): Outcome {
  return operation === "delete" ? ok(record) : ok(record, rowId(record.fields, plan.key));
}

function notFound(record: DestinationRecord, object: string): Outcome {
  return reject(record, { code: "not_found", message: `no row of "${object}" has this record's key to update` });
}

function noRowId(record: DestinationRecord): Outcome {
  return reject(record, {
    code: "no_row_id",
    message: "cannot delete: the record has no remote id and the model's key columns are not the table's key",
  });
}
