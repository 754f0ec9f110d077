import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "syncline/sdk";

const PREFIX = "syncline-digest-";
/** This process's digest directories still in use. */
const active = new Set<string>();

/**
 * A fresh directory for one ordered read's sorted digests (about 40 bytes per model row), and
 * a function that removes it. Directories a killed process left behind (its process id no
 * longer runs, or is this process's but not in use) are removed first, so crashes do not
 * fill the disk.
 */
export function digestDirectory(parent: string): { path: string; remove: () => void } {
  for (const name of safeList(parent)) {
    const pid = Number(/^syncline-digest-(\d+)-/.exec(name)?.[1]);
    const path = join(parent, name);
    if (Number.isInteger(pid) && !active.has(path) && (pid === process.pid || !processAlive(pid))) {
      rmSync(path, { recursive: true, force: true });
    }
  }
  const path = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
  active.add(path);
  return {
    path,
    remove() {
      active.delete(path);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

function safeList(parent: string): string[] {
  try {
    return readdirSync(parent).filter((name) => name.startsWith(PREFIX));
  } catch {
    return [];
  }
}
