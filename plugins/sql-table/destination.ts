import {
  type Capabilities,
  type DestinationContext,
  type DestinationDefinition,
  type DiscoveredObject,
  defineDestination,
  type Outcome,
  type WriteBatch,
} from "syncline/sdk";
import type * as v from "valibot";
import { byFieldSet, tableIdentifyingFields } from "./by-fields.ts";
import { type PooledConnection, withConnection } from "./connection.ts";
import { tableSyncOptions } from "./options.ts";

/** The config fields every table destination has and its capabilities are made from. */
export interface TableDestinationConfig {
  batchSize: number;
  maxConnections: number;
  queryTimeoutMs: number;
}

/** What a database brings to a table destination; the rest is the same for every one. */
export interface SqlTableDriver<C extends TableDestinationConfig, K extends PooledConnection> {
  name: string;
  description: string;
  config: v.GenericSchema<unknown, C>;
  /** A pooled connection with the session settings writes rely on. */
  connect(ctx: DestinationContext<C>): Promise<K>;
  discoverTables(connection: K): Promise<DiscoveredObject[]>;
  /** A failure of the test query (`check`) or of listing the tables (`discover`), classified. */
  failure(error: unknown, step: "check" | "discover"): Error;
  /** Writes one batch whose records all carry the same fields (byFieldSet groups them). */
  writeBatch(ctx: DestinationContext<C>, batch: WriteBatch): Promise<Outcome[]>;
  closePool(ctx: DestinationContext<C>): Promise<void>;
}

/**
 * A database table as a destination: per-sync table options, every operation, one batch per
 * transaction on one pooled connection, updates of only the columns a record carries.
 */
export function defineSqlTableDestination<C extends TableDestinationConfig, K extends PooledConnection>(
  driver: SqlTableDriver<C, K>,
): DestinationDefinition<C> {
  return defineDestination<C>({
    name: driver.name,
    description: driver.description,
    config: driver.config,
    syncOptions: tableSyncOptions,
    capabilities: tableCapabilities,
    identifyingFields: tableIdentifyingFields,
    async check(ctx) {
      await withConnection(
        () => driver.connect(ctx),
        (connection) => connection.query("SELECT 1"),
        (error) => driver.failure(error, "check"),
      );
    },
    discover: (ctx) =>
      withConnection(
        () => driver.connect(ctx),
        (connection) => driver.discoverTables(connection),
        (error) => driver.failure(error, "discover"),
      ),
    write: byFieldSet(driver.writeBatch),
    close: (ctx) => driver.closePool(ctx),
  });
}

/** Every operation, a batch per transaction, as many batches at once as the pool has connections. */
function tableCapabilities({ batchSize, maxConnections, queryTimeoutMs }: TableDestinationConfig): Capabilities {
  return {
    operations: ["upsert", "update", "insert", "delete"],
    maxRecords: batchSize,
    concurrency: maxConnections,
    timeoutMs: queryTimeoutMs,
    // Updates write only the columns a record carries (by-fields.ts), so changed-fields-only works.
    partialUpdate: true,
  };
}
