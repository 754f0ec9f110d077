import type Database from "better-sqlite3";

/** The state tables whose size a test or a tool asks for. */
export type CountedTable = "snapshots" | "warehouse_pending" | "alert_outbox" | "sync_log_pending" | "ledger";

const COUNTED: ReadonlySet<string> = new Set<CountedTable>([
  "snapshots",
  "warehouse_pending",
  "alert_outbox",
  "sync_log_pending",
  "ledger",
]);

/** How many rows `table` holds, for one sync when `sync` is given (every counted table has one). */
export function rowCount(db: Database.Database, table: CountedTable, sync?: string): number {
  // The name is interpolated: refuse anything but a known table, whatever a caller's types said.
  if (!COUNTED.has(table)) throw new Error(`not a counted state table: ${table}`);
  const where = sync === undefined ? "" : " WHERE sync = ?";
  const statement = db.prepare(`SELECT count(*) FROM "${table}"${where}`).pluck();
  return (sync === undefined ? statement.get() : statement.get(sync)) as number;
}
