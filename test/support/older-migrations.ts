import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root.ts";

/**
 * The migrations before `tag`, as an older build shipped them, copied into `dir`/drizzle: a
 * state file migrated with them (applyMigrations) is one the migration `tag` must upgrade.
 * Returns the folder and how many migrations the package ships in all.
 */
export function migrationsBefore(dir: string, tag: string): { folder: string; all: number } {
  const folder = join(dir, "drizzle");
  cpSync(join(PACKAGE_ROOT, "drizzle"), folder, { recursive: true });
  const journalFile = join(folder, "meta", "_journal.json");
  const meta = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  const all = meta.entries.length;
  const at = meta.entries.findIndex((entry) => entry.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag} in the package`);
  meta.entries = meta.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(meta));
  return { folder, all };
}
