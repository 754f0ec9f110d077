import Database from "better-sqlite3";

/**
 * Opens a state file read-only, gives it to `read`, and closes it: for looking into the state a
 * separate process (a CLI run, a killed service) left, without migrating or locking it for writes.
 */
export function readStateFile<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
