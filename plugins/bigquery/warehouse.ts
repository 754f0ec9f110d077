import type { WarehouseAccess } from "syncline/sdk";
import { bigqueryDialect } from "syncline/sdk/sql";
import type { BigQueryConfig } from "./config.ts";
import { streamRows } from "./read.ts";

/**
 * Warehouse mode on BigQuery: every statement list runs as one script job (so BEGIN
 * TRANSACTION … COMMIT TRANSACTION in it is one multi-statement transaction, rolled back by
 * BigQuery when the script fails), in the source's location; queries stream like `read`.
 * No bulk load: the engine loads its small journal with INSERT statements, which (unlike the
 * streaming API) leave the rows immediately deletable.
 */
export const bigqueryWarehouse: WarehouseAccess<BigQueryConfig> = {
  dialect: bigqueryDialect,

  async execute(ctx, statements) {
    if (statements.length === 0) return;
    for await (const _ of streamRows(ctx, statements.join(";\n"))) {
      // a script's result is its last statement's; nothing to read
    }
  },

  query(ctx, sql) {
    return streamRows(ctx, sql);
  },
};
