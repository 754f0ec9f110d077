import type Database from "better-sqlite3";
import type { Logger } from "../../../sdk/logger.ts";
import { type JournalRow, JournalStore, SEEDED_HASH } from "../../../state/journal-store.ts";
import type { SourceHandle } from "../../shared/source-handle.ts";
import type { SyncSpec } from "../../shared/sync-spec.ts";
import { WarehouseClient } from "./client.ts";
import { COLUMNS } from "./statements.ts";

/**
 * Before a local-mode run: when the sync's snapshot was last kept in the warehouse, commit
 * any journal left there and carry the snapshot's keys and remote ids over into SQLite, so
 * that mirror mode still deletes what was delivered. The hashes of the two modes differ, so
 * carried rows get the seeded marker: every record is sent once more (in insert mode, none).
 * Without the warehouse capability any more, the run starts from nothing (a full resync).
 */
export async function leaveWarehouse(
  db: Database.Database,
  spec: SyncSpec,
  source: SourceHandle,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const journal = new JournalStore(db, spec.name);
  const marker = journal.location();
  if (marker?.location !== "warehouse") return;
  if (!source.plugin.warehouse) {
    logger.warn({ sync: spec.name }, "switched to local mode without warehouse access: a full resync");
    journal.clear({ location: "local", schema: marker.schema });
    return;
  }
  const client = new WarehouseClient(source, spec, logger, signal, marker.schema);
  if (journal.pendingCount() > 0) {
    await client.loadJournal(journal.pendingState());
    await client.execute(client.statements.applyJournal());
  }
  journal.clear();
  let carried = 0;
  for await (const rows of client.query("snapshot", client.statements.readSnapshot())) {
    const page: JournalRow[] = rows.map((row) => {
      const hash = String(row[COLUMNS.hash] ?? "");
      return [
        String(row[COLUMNS.key]),
        hash === "" ? "" : SEEDED_HASH,
        (row[COLUMNS.remoteId] ?? null) as string | null,
      ];
    });
    journal.insertSnapshot(page);
    carried += page.length;
  }
  journal.setLocation("local", marker.schema);
  logger.warn(
    { sync: spec.name, records: carried },
    "switched to local mode: carried the warehouse snapshot over; every record is sent once more",
  );
}
