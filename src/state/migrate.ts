import { readFileSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";

const TABLE = "__drizzle_migrations";

/**
 * Applies the SQL migrations drizzle-kit generated into drizzle/, exactly as drizzle-orm's
 * SQLite migrator does (same `__drizzle_migrations` table, same ordering by folder time, one
 * transaction). Written here because importing `drizzle-orm/better-sqlite3` for its migrator
 * cost ~290 ms of a ~650 ms service start-up (measured), and a sidecar restarts often;
 * `drizzle-orm/migrator` (which reads and hashes the files) costs ~10 ms.
 */
export function applyMigrations(sqlite: Database.Database, folder: string): void {
  // Every command opens the state: one read of the journal tells a current file apart, without
  // reading and hashing every migration to skip them all.
  if (isCurrent(sqlite, folder)) return;
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  sqlite.exec(`CREATE TABLE IF NOT EXISTS "${TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
  const last = lastApplied(sqlite);
  const record = sqlite.prepare(`INSERT INTO "${TABLE}" ("hash", "created_at") VALUES (?, ?)`);
  sqlite.transaction(() => {
    for (const migration of migrations) {
      if (last !== undefined && last >= migration.folderMillis) continue;
      for (const statement of migration.sql) if (statement.trim()) sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
    }
  })();
}

/** Whether the newest migration applied is at least the newest shipped (the loop above would apply none). */
function isCurrent(sqlite: Database.Database, folder: string): boolean {
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TABLE);
  if (!exists) return false;
  const last = lastApplied(sqlite);
  if (last === undefined) return false;
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  return journal.entries.every((entry) => last >= entry.when);
}

function lastApplied(sqlite: Database.Database): number | undefined {
  const row = sqlite.prepare(`SELECT created_at FROM "${TABLE}" ORDER BY created_at DESC LIMIT 1`).get() as
    | { created_at: number }
    | undefined;
  return row === undefined ? undefined : Number(row.created_at);
}
