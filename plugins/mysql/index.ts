import { defineSqlTableDestination } from "../sql-table/destination.ts";
import { mysqlConfig } from "./config.ts";
import { mysqlError } from "./errors.ts";
import { closePool, connect } from "./pool.ts";
import { discoverTables } from "./table.ts";
import { writeBatch } from "./write.ts";

const FAILED_STEP = { check: "running a test query on MySQL", discover: "listing the MySQL tables" };

/**
 * MySQL and MariaDB tables as a destination: multi-row INSERT … ON DUPLICATE KEY UPDATE per
 * batch, deletes for mirror mode, one transaction per batch, bad records rejected alone.
 */
export default defineSqlTableDestination({
  name: "mysql",
  description: "A MySQL or MariaDB table kept in sync with a model",
  config: mysqlConfig,
  connect,
  discoverTables,
  failure: (error, step) => mysqlError(error, FAILED_STEP[step]),
  writeBatch,
  closePool,
});
