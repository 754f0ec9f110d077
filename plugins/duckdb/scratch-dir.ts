import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "syncline/sdk";

/** This process's scratch directories still in use. */
const active = new Set<string>();
let counter = 0;

/**
 * A fresh directory named `<prefix><pid>-<unique>` under `parent`, and a function that
 * removes it. Directories with the same prefix that a killed process left behind (its process
 * id no longer runs, or is this process's but not in use) are removed first, so crashes do
 * not fill the disk. With `create: false` only the name is reserved: DuckDB creates its temp
 * directory itself the first time it spills, and deletes it on close when it created it.
 */
export function scratchDirectory(
  parent: string,
  prefix: string,
  options: { create?: boolean } = {},
): { path: string; remove: () => void } {
  removeAbandoned(parent, prefix);
  const path =
    options.create === false
      ? join(parent, `${prefix}${process.pid}-${Date.now().toString(36)}${(counter++).toString(36)}`)
      : mkdtempSync(join(parent, `${prefix}${process.pid}-`));
  active.add(path);
  return {
    path,
    remove() {
      active.delete(path);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

function removeAbandoned(parent: string, prefix: string): void {
  for (const name of safeList(parent, prefix)) {
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    const path = join(parent, name);
    if (Number.isInteger(pid) && !active.has(path) && (pid === process.pid || !processAlive(pid))) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

function safeList(parent: string, prefix: string): string[] {
  try {
    return readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
}
