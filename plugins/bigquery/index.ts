import { type Column, defineSource } from "syncline/sdk";
import { bigqueryDialect } from "syncline/sdk/sql";
import { type BigQueryConfig, bigqueryConfig } from "./config.ts";
import { readOrdered } from "./ordered.ts";
import { streamRows } from "./read.ts";
import { dryRunColumns } from "./schema.ts";
import { bigqueryWarehouse } from "./warehouse.ts";

/** Google BigQuery, through @google-cloud/bigquery query jobs and paged results. */
export default defineSource<BigQueryConfig>({
  name: "bigquery",
  description: "Google BigQuery (service-account key or Application Default Credentials), paged query results",
  config: bigqueryConfig,
  warehouse: bigqueryWarehouse,

  async check(ctx) {
    for await (const _ of streamRows(ctx, "SELECT 1 AS ok")) {
      // the query ran: credentials, project, permission to create jobs and location are fine
    }
  },

  columns(ctx, model): Promise<Column[]> {
    return dryRunColumns(ctx, `SELECT * FROM ${bigqueryDialect.relation(model)} AS m`);
  },

  read(ctx, model, options) {
    return streamRows(ctx, bigqueryDialect.select(model, options.columns));
  },

  readOrdered,

  async close(ctx) {
    ctx.state.delete("client");
  },
});
