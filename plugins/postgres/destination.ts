import { defineDestination } from "syncline/sdk";
import { byFieldSet, tableIdentifyingFields } from "../sql-table/by-fields.ts";
import { tableSyncOptions } from "../sql-table/options.ts";
import { type PostgresDestinationConfig, postgresDestinationConfig } from "./destination-config.ts";
import { pgWriteError } from "./destination-errors.ts";
import { closePool, connect } from "./pool.ts";
import { discoverTables } from "./table.ts";
import { writeBatch } from "./write.ts";

/**
 * Postgres tables as a destination: upserts by key in one statement per batch, deletes for
 * mirror mode, one transaction per batch, bad records rejected alone. Registered as the
 * destination type `postgres` (the source of that name is ./index.ts).
 */
export default defineDestination<PostgresDestinationConfig>({
  name: "postgres",
  description: "A Postgres table kept in sync with a model",
  config: postgresDestinationConfig,
  syncOptions: tableSyncOptions,
  capabilities: (config) => ({
    operations: ["upsert", "update", "insert", "delete"],
    maxRecords: config.batchSize,
    concurrency: config.maxConnections,
    timeoutMs: config.queryTimeoutMs,
    // Updates write only the columns a record carries (by-fields.ts), so changed-fields-only works.
    partialUpdate: true,
  }),
  identifyingFields: tableIdentifyingFields,

  async check(ctx) {
    const client = await connect(ctx);
    try {
      await client.query("SELECT 1");
    } catch (error) {
      throw pgWriteError(error, "the database");
    } finally {
      client.release();
    }
  },

  async discover(ctx) {
    const client = await connect(ctx);
    try {
      return await discoverTables(client);
    } catch (error) {
      throw pgWriteError(error, "the database");
    } finally {
      client.release();
    }
  },

  write: byFieldSet(writeBatch),

  async close(ctx) {
    await closePool(ctx);
  },
});
