import type mysql from "mysql2/promise";
import {
  type DestinationContext,
  type DestinationRecord,
  type Outcome,
  ok,
  reject,
  type WriteBatch,
} from "syncline/sdk";
import { savepoint } from "../sql-table/connection.ts";
import { isolate } from "../sql-table/isolate.ts";
import { syncOptionsOf } from "../sql-table/options.ts";
import { planWrite, recordTexts, type WritePlan } from "../sql-table/plan.ts";
import { forgetTable, tableOf } from "../sql-table/table.ts";
import { rowId } from "../sql-table/values.ts";
import type { MysqlConfig } from "./config.ts";
import { mysqlError, mysqlRefusal } from "./errors.ts";
import { connect } from "./pool.ts";
import { MYSQL_TABLES, quoteIdent, type TableInfo } from "./table.ts";
import { mysqlValue } from "./values.ts";

type Ctx = DestinationContext<MysqlConfig>;

interface Row {
  record: DestinationRecord;
  values: unknown[];
}

/**
 * Writes one batch in one transaction: a multi-row INSERT … ON DUPLICATE KEY UPDATE for
 * upserts, one UPDATE per row for updates, one DELETE … IN for deletes. A record the server
 * refuses is isolated by splitting under savepoints and rejected alone; the rest commit.
 */
export async function writeBatch(ctx: Ctx, input: WriteBatch): Promise<Outcome[]> {
  const options = syncOptionsOf(input.options);
  const batch = { ...input, object: options.table ?? input.object };
  const connection = await connect(ctx);
  let broken = false;
  // A call the engine gives up on (timeout, cancelled run) drops its connection: the server
  // rolls the transaction back rather than committing behind the engine's back.
  const onAbort = () => connection.destroy();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const table = await tableOf(MYSQL_TABLES, ctx.state, connection, batch.object, options);
    const plan = planWrite(table, batch, options);
    const outcomes = new Map<string, Outcome>();
    const rows: Row[] = [];
    for (const record of batch.records) {
      const values = valuesOf(record, plan, table, batch.operation);
      if (values) rows.push({ record, values });
      else outcomes.set(record.key, reject(record, { code: "no_row_id", message: "cannot delete: no remote id" }));
    }
    const missing = new Set<Row>();
    const statement = statementFor(ctx, table, plan, batch.operation, missing);
    await connection.beginTransaction();
    const refused = await isolate(
      rows,
      (part) => savepoint(connection, () => statement(connection, part)),
      mysqlRefusal,
    );
    ctx.signal.throwIfAborted();
    await connection.commit();
    for (const { record } of missing) {
      outcomes.set(
        record.key,
        reject(record, { code: "not_found", message: `no row of "${batch.object}" has this key to update` }),
      );
    }
    for (const [{ record }, reason] of refused) outcomes.set(record.key, reject(record, reason));
    return batch.records.map(
      (record) =>
        outcomes.get(record.key) ??
        (batch.operation === "delete" ? ok(record) : ok(record, rowId(record.fields, plan.key))),
    );
  } catch (error) {
    broken = true;
    await connection.rollback().catch(() => undefined);
    if ([1146, 1054].includes((error as { errno?: number }).errno ?? 0)) forgetTable(ctx.state, batch.object);
    throw mysqlError(error, `writing to "${batch.object}" on MySQL`);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    if (broken || ctx.signal.aborted) connection.destroy();
    else connection.release();
  }
}

function valuesOf(record: DestinationRecord, plan: WritePlan, table: TableInfo, operation: string) {
  if (operation === "delete") return recordTexts(record, plan, operation);
  return plan.columns.map((column) => mysqlValue(record.fields[column], table.columns.get(column)));
}

type Statement = (connection: mysql.PoolConnection, part: readonly Row[]) => Promise<void>;

function statementFor(ctx: Ctx, table: TableInfo, plan: WritePlan, operation: string, missing: Set<Row>): Statement {
  const timeout = ctx.config.queryTimeoutMs;
  const names = plan.columns.map(quoteIdent).join(", ");
  const others = plan.columns.filter((column) => !plan.key.includes(column));
  const where = plan.key.map((column) => `${quoteIdent(column)} = ?`).join(" AND ");
  switch (operation) {
    case "insert":
    case "upsert": {
      const tail = operation === "upsert" ? ` ON DUPLICATE KEY UPDATE ${duplicateUpdate(plan, others)}` : "";
      const sql = `INSERT INTO ${table.sql} (${names}) VALUES ?${tail}`;
      return async (connection, part) => {
        try {
          await connection.query({ sql, timeout }, [part.map((row) => row.values)]);
        } catch (error) {
          throw operation === "upsert" ? otherUniqueKey(error, part, plan) : error;
        }
      };
    }
    case "update": {
      const assigned = others.length > 0 ? others : plan.key;
      const sql = `UPDATE ${table.sql} SET ${assigned.map((c) => `${quoteIdent(c)} = ?`).join(", ")} WHERE ${where}`;
      const at = (column: string) => plan.columns.indexOf(column);
      return async (connection, part) => {
        for (const row of part) {
          const params = [...assigned.map((c) => row.values[at(c)]), ...plan.key.map((c) => row.values[at(c)])];
          const [result] = await connection.query<mysql.ResultSetHeader>({ sql, timeout }, params);
          if (result.affectedRows === 0) missing.add(row);
          else missing.delete(row);
        }
      };
    }
    default: {
      const target = plan.key.length === 1 ? quoteIdent(plan.key[0]!) : `(${plan.key.map(quoteIdent).join(", ")})`;
      const sql = `DELETE FROM ${table.sql} WHERE ${target} IN (?)`;
      return async (connection, part) => {
        const keys = part.map((row) => (plan.key.length === 1 ? row.values[0] : row.values));
        await connection.query({ sql, timeout }, [keys]);
      };
    }
  }
}

/**
 * ON DUPLICATE KEY UPDATE fires on any unique key, not only on `key`: a record whose email
 * (say) is another row's would overwrite that row. The guard assignments come first and set
 * the key to NULL when the matched row's key differs, so the server refuses the row
 * (NOT NULL) instead; otherwise they leave the key as it is.
 */
function duplicateUpdate(plan: WritePlan, others: readonly string[]): string {
  const same = plan.key.map((column) => `${quoteIdent(column)} <=> VALUES(${quoteIdent(column)})`).join(" AND ");
  const guards = plan.key.map((column) => `${quoteIdent(column)} = IF(${same}, ${quoteIdent(column)}, NULL)`);
  const values = others.map((column) => `${quoteIdent(column)} = VALUES(${quoteIdent(column)})`);
  return [...guards, ...values].join(", ");
}

/** The guard's refusal of one record, told as what it is: a unique key other than `key` matched. */
function otherUniqueKey(error: unknown, part: readonly Row[], plan: WritePlan): unknown {
  const keyed = part.length === 1 && plan.key.every((column) => part[0]!.record.fields[column] != null);
  if ((error as { errno?: number }).errno !== 1048 || !keyed) return error;
  return Object.assign(
    new Error(
      `another row already holds one of this record's unique values (a unique key other than ${plan.key.join(", ")} matched it)`,
    ),
    { code: "ER_DUP_ENTRY", errno: 1062, sqlState: "23000" },
  );
}
