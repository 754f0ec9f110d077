import { closeSync, linkSync, openSync, readSync, rmSync, type Stats, statSync } from "node:fs";
import type Database from "better-sqlite3";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { startOverFix } from "./state-error.ts";

const SQLITE_HEADER = "SQLite format 3\0";

/**
 * What losing the state means, said whenever Syncline refuses a state file: it is the record
 * of what the destination holds, and nothing else knows it.
 */
const CONSEQUENCE =
  "starting over from it would forget what Syncline delivered: every record would be sent again, " +
  "and in mirror mode records removed from the model meanwhile would stay in the destination forever";

/**
 * Whether the state file is new (absent). A file that exists but is empty or not a SQLite
 * database is refused: a truncated or overwritten state must never pass for a fresh start.
 */
export function checkStateFile(path: string): "new" | "existing" {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "new";
    throw error;
  }
  if (stat.isDirectory()) {
    throw new ConfigurationError(`the state file ${path} is a directory`, {
      code: "state_open",
      fix: "set `state` (or SYNCLINE_STATE) to a file path; when mounting it into a container, mount its directory",
    });
  }
  if (stat.size === 0) throw refused(path, "is empty (0 bytes)");
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== SQLITE_HEADER) throw refused(path, "is not a SQLite database (damaged?)");
  return "existing";
}

/** An existing SQLite file that has never held Syncline's state is refused too (a wrong path). */
export function checkStateTables(sqlite: Database.Database, path: string): void {
  const found = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!found) throw refused(path, "holds no Syncline state (a SQLite file without Syncline's tables)");
}

/**
 * Creates a new state file whole: built under a temporary name, then linked into place, so a
 * crash while creating it never leaves an empty file behind (which the next start would refuse).
 * If another process created the file meanwhile, theirs is kept.
 */
export function createStateFile(path: string, build: (temporary: string) => void): void {
  const temporary = `${path}.new-${process.pid}`;
  try {
    build(temporary);
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function refused(path: string, what: string): ConfigurationError {
  return new ConfigurationError(`the state file ${path} ${what}; ${CONSEQUENCE}`, {
    code: "state_damaged",
    fix: startOverFix(path),
  });
}
