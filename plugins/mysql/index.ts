import { defineDestination } from "syncline/sdk";
import { byFieldSet, tableIdentifyingFields } from "../sql-table/by-fields.ts";
import { tableSyncOptions } from "../sql-table/options.ts";
import { type MysqlConfig, mysqlConfig } from "./config.ts";
import { mysqlError } from "./errors.ts";
import { closePool, connect } from "./pool.ts";
import { discoverTables } from "./table.ts";
import { writeBatch } from "./write.ts";

/**
 * MySQL and MariaDB tables as a destination: multi-row INSERT … ON DUPLICATE KEY UPDATE per
 * batch, deletes for mirror mode, one transaction per batch, bad records rejected alone.
 */
export default defineDestination<MysqlConfig>({
  name: "mysql",
  description: "A MySQL or MariaDB table kept in sync with a model",
  config: mysqlConfig,
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
    const connection = await connect(ctx);
    try {
      await connection.query("SELECT 1");
    } catch (error) {
      throw mysqlError(error, "running a test query on MySQL");
    } finally {
      connection.release();
    }
  },

  async discover(ctx) {
    const connection = await connect(ctx);
    try {
      return await discoverTables(connection);
    } catch (error) {
      throw mysqlError(error, "listing the MySQL tables");
    } finally {
      connection.release();
    }
  },

  write: byFieldSet(writeBatch),

  async close(ctx) {
    await closePool(ctx);
  },
});
