import { statSync } from "node:fs";
import { loadConfig } from "../../host/load-config.ts";
import { backupState } from "../../state/backup.ts";
import { openState } from "../../state/database.ts";
import type { CliOptions } from "../options.ts";

/**
 * `syncline state backup <file>`: an online backup of the state file, safe while the service
 * or a run uses it. Restore: stop Syncline, copy the backup over the state file, remove its
 * -wal and -shm files, start again (README, Operations).
 */
export async function runStateBackup(file: string, options: CliOptions): Promise<number> {
  const config = await loadConfig(options.config);
  const state = openState(config.statePath);
  try {
    const { file: written, pages } = await backupState(state.sqlite, state.path, file);
    const bytes = statSync(written).size;
    process.stdout.write(`backed up ${state.path} to ${written} (${pages} pages, ${bytes.toLocaleString()} bytes)\n`);
    return 0;
  } finally {
    state.close();
  }
}
