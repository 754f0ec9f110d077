import type Database from "better-sqlite3";

/**
 * Forgets which migrations were applied (the tables stay): a state file an older or foreign
 * tool left, for checking that readiness reports it.
 */
export function forgetMigrations(db: Database.Database): void {
  db.exec('DELETE FROM "__drizzle_migrations"');
}
