import type Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";

/**
 * Applies the SQL migrations drizzle-kit generated into drizzle/, exactly as drizzle-orm's
 * SQLite migrator does (same `__drizzle_migrations` table, same ordering by folder time, one
 * transaction). Written here because importing `drizzle-orm/better-sqlite3` for its migrator
 * cost ~290 ms of a ~650 ms service start-up (measured), and a sidecar restarts often;
 * `drizzle-orm/migrator` (which reads and hashes the files) costs ~10 ms.
 */
export function applyMigrations(sqlite: Database.Database, folder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  sqlite.exec(
    'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
  );
  const last = sqlite.prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1').get() as
    | { created_at: number }
    | undefined;
  const record = sqlite.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
  sqlite.transaction(() => {
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue;
      for (const statement of migration.sql) if (statement.trim()) sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
    }
  })();
}
