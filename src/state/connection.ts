import Database from "better-sqlite3";
import { DEFAULTS } from "../config/defaults.ts";

/**
 * The settings every connection to the state file runs with. WAL lets readers (the API) run
 * beside the writer (a run); synchronous=NORMAL keeps every committed batch safe from a process
 * crash (kill -9), which is what the invariant needs.
 */
export function configureConnection(sqlite: Database.Database): void {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("temp_store = FILE");
  sqlite.pragma(`cache_size = -${DEFAULTS.stateCacheKib}`);
  sqlite.pragma(`wal_autocheckpoint = ${DEFAULTS.stateWalPages}`);
  // The log restarts at its start after a checkpoint; one larger transaction must not leave it that large.
  sqlite.pragma(`journal_size_limit = ${DEFAULTS.stateWalPages * 4096}`);
}

/**
 * A second connection to a state file the process has already opened (database.ts openState:
 * created, checked and migrated), for a worker thread: no migration, no in-doubt expansion.
 */
export function connectStateFile(path: string): Database.Database {
  const sqlite = new Database(path, { fileMustExist: true });
  try {
    configureConnection(sqlite);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return sqlite;
}
