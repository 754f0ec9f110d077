import { type Column, defineSource } from "syncline/sdk";
import { bigqueryDialect } from "syncline/sdk/sql";
import { clientFor } from "./client.ts";
import { type BigQueryConfig, bigqueryConfig } from "./config.ts";
import { classifyBigQueryError } from "./errors.ts";
import { streamRows } from "./read.ts";
import type { SchemaField } from "./types.ts";
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

  async columns(ctx, model): Promise<Column[]> {
    const { config } = ctx;
    try {
      // A dry run validates the query and returns its schema without running or billing it.
      const [job] = await clientFor(ctx).createQueryJob({
        query: `SELECT * FROM ${bigqueryDialect.relation(model)} AS m`,
        dryRun: true,
        useLegacySql: false,
        ...(config.location ? { location: config.location } : {}),
      });
      const fields = (job.metadata?.statistics?.query?.schema?.fields ?? []) as SchemaField[];
      return fields.map((field) => ({ name: field.name ?? "", type: describe(field) }));
    } catch (error) {
      throw classifyBigQueryError(error, "reading the model's columns from BigQuery");
    }
  },

  read(ctx, model, options) {
    return streamRows(ctx, bigqueryDialect.select(model, options.columns));
  },

  async close(ctx) {
    ctx.state.delete("client");
  },
});

function describe(field: SchemaField): string {
  const type = field.type ?? "UNKNOWN";
  return field.mode === "REPEATED" ? `ARRAY<${type}>` : type;
}
