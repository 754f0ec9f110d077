import { defineSqlTableDestination } from "../sql-table/destination.ts";
import { postgresDestinationConfig } from "./destination-config.ts";
import { pgWriteError } from "./destination-errors.ts";
import { closePool, connect } from "./pool.ts";
import { discoverTables } from "./table.ts";
import { writeBatch } from "./write.ts";

/**
 * Postgres tables as a destination: upserts by key in one statement per batch, deletes for
 * mirror mode, one transaction per batch, bad records rejected alone. Registered as the
 * destination type `postgres` (the source of that name is ./index.ts).
 */
export default defineSqlTableDestination({
  name: "postgres",
  description: "A Postgres table kept in sync with a model",
  config: postgresDestinationConfig,
  connect,
  discoverTables,
  failure: (error) => pgWriteError(error, "the database"),
  writeBatch,
  closePool,
});
