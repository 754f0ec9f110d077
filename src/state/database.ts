import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { PACKAGE_ROOT } from "../package-root.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { configureConnection } from "./connection.ts";
import { expandInDoubtBatches } from "./in-doubt-batches.ts";
import { applyMigrations } from "./migrate.ts";
import { stateFileError } from "./state-error.ts";
import { checkStateFile, checkStateTables, createStateFile } from "./state-file.ts";

const MIGRATIONS = join(PACKAGE_ROOT, "drizzle");

export interface StateDatabase {
  sqlite: Database.Database;
  path: string;
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite state file and applies pending migrations. A file that
 * exists but is empty, not SQLite, damaged or not Syncline's is refused, never taken for a
 * fresh start (src/state/state-file.ts). Its settings: connection.ts.
 */
export function openState(path: string): StateDatabase {
  if (path !== ":memory:") {
    mkdirOrExplain(path);
    if (checkStateFile(path) === "new") {
      createStateFile(path, (temporary) => {
        const created = new Database(temporary);
        try {
          created.pragma("journal_mode = WAL");
          applyMigrations(created, MIGRATIONS);
        } finally {
          created.close();
        }
      });
    }
  }
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path);
    configureConnection(sqlite);
    if (path !== ":memory:") checkStateTables(sqlite, path);
    applyMigrations(sqlite, MIGRATIONS);
    expandInDoubtBatches(sqlite);
  } catch (error) {
    sqlite?.close();
    throw stateFileError(path, "cannot open", error) ?? error;
  }
  const opened = sqlite;
  return {
    sqlite: opened,
    path,
    close() {
      if (opened.open) opened.close();
    },
  };
}

function mkdirOrExplain(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new ConfigurationError(`cannot create the directory of the state file ${path}: ${(error as Error).message}`, {
      code: "state_open",
      fix: "check that the directory can be created and written, or set `state` in the config",
      cause: error,
    });
  }
}

/** Migrations the state file has applied, and how many this build ships (for readiness checks). */
export function migrationStatus(sqlite: Database.Database): { applied: number; expected: number } {
  shippedMigrations ??= (
    JSON.parse(readFileSync(join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }
  ).entries.length;
  const row = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  return { applied: row.n, expected: shippedMigrations };
}
let shippedMigrations: number | undefined;
