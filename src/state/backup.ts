import { renameSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type Database from "better-sqlite3";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";

/**
 * Copies the state into `file` with SQLite's online backup API while runs go on. The copy is
 * made in one backup step, inside one read transaction, so it is the state as of one moment
 * (in WAL mode writers are not blocked meanwhile, and a write by another process cannot make
 * it restart). It is written beside `file` and renamed over it, so `file` is always a whole
 * backup: the previous one until the new one is complete.
 */
export async function backupState(
  sqlite: Database.Database,
  statePath: string,
  file: string,
): Promise<{ file: string; pages: number }> {
  const target = resolve(file);
  if ([statePath, `${statePath}-wal`, `${statePath}-shm`].includes(target)) {
    throw new ConfigurationError(`the backup would overwrite the state file itself (${target})`, {
      code: "backup_target",
      fix: "give another path, for example state-$(date +%F).db",
    });
  }
  const temporary = `${target}.partial-${process.pid}`;
  try {
    // The first step copies nothing (better-sqlite3 starts at 0 pages); the second copies every page at once.
    const result = await sqlite.backup(temporary, { progress: () => 0x7fffffff });
    renameSync(temporary, target);
    return { file: target, pages: result.totalPages };
  } catch (error) {
    rmSync(temporary, { force: true });
    // better-sqlite3 reports a missing directory as a TypeError, a file it cannot write as a SqliteError.
    const code = (error as { code?: unknown }).code;
    if (error instanceof TypeError || (typeof code === "string" && code.startsWith("SQLITE_"))) {
      throw new ConfigurationError(`cannot write the backup to ${target}: ${(error as Error).message}`, {
        code: "backup_target",
        fix: "give a path in an existing, writable directory on a disk with room for a copy of the state",
        cause: error,
      });
    }
    throw error;
  }
}
