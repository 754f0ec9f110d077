import type snowflake from "snowflake-sdk";
import type { Model, OrderedRead, OrderedReadRequest, SourceContext } from "syncline/sdk";
import { snowflakeDialect, storedResultOrderedRead } from "syncline/sdk/sql";
import type { SnowflakeConfig } from "./config.ts";
import { connectionFor } from "./connection.ts";
import { classifySnowflakeError } from "./errors.ts";
import { execute, streamRows } from "./read.ts";
import { typeName } from "./types.ts";

type Ctx = SourceContext<SnowflakeConfig>;

/**
 * Keys per rows query, bound as one JSON array: a VARCHAR bind holds 16 MB, and a key's
 * character takes up to four bytes.
 */
const KEY_BATCH = { maxKeys: 200_000, maxChars: 3_000_000 };

/**
 * The model's keys ordered by their canonical text (as UTF-8 bytes), each with the md5 of its
 * canonical JSON computed by Snowflake, then the rows of the keys the engine asks for
 * (syncline/sdk/sql's storedResultOrderedRead).
 *
 * Both reads must see one state of the model, and a Snowflake transaction does not give that
 * (READ COMMITTED: each statement sees what was committed when it began). Time travel
 * (AT(STATEMENT => …)) would, but only on a table, not on a view or a SQL model, and only
 * within the table's retention. So the model's needed columns are selected once, the result
 * left unread on the server (Snowflake keeps a query's result for 24 hours, for the user who
 * ran it), and both the sorted digests and the changed rows are read from that result with
 * RESULT_SCAN: one fixed state for any model, with only the reading user's own rights.
 *
 * The digests stream through the driver's result chunks like `read`; the changed keys go to
 * the rows query as one JSON array bind, FLATTENed in Snowflake.
 */
export function readOrdered(ctx: Ctx, model: Model, request: OrderedReadRequest): Promise<OrderedRead | undefined> {
  ctx.signal.throwIfAborted();
  return storedResultOrderedRead(model, request, {
    dialect: snowflakeDialect,
    types: (columns) => columnTypes(ctx, model, columns),
    async store(select) {
      const ran: snowflake.RowStatement[] = [];
      for await (const _ of streamRows(ctx, select, { finished: (statement) => ran.push(statement) })) {
        // nothing is read: the result stays on the server
      }
      return { kind: "sql", sql: `SELECT * FROM TABLE(RESULT_SCAN('${ran[0]!.getQueryId()}'))` };
    },
    stream: (sql, keys) => streamRows(ctx, sql, keys ? { binds: [JSON.stringify(keys)] } : {}),
    keys: "(SELECT VALUE::VARCHAR AS k FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?)))) AS keys",
    batch: KEY_BATCH,
  });
}

/** The needed columns' types, as the plugin names them, from a query that returns no rows. */
async function columnTypes(ctx: Ctx, model: Model, columns: readonly string[]): Promise<Map<string, string>> {
  const connection = await connectionFor(ctx);
  try {
    const sql = `${snowflakeDialect.select(model, columns)} LIMIT 0`;
    const statement = await execute(connection, sql, ctx.config, false).done;
    return new Map((statement.getColumns() ?? []).map((column) => [column.getName(), typeName(column)]));
  } catch (error) {
    throw classifySnowflakeError(error, "reading the model's columns from Snowflake");
  }
}
