import { scratchDirectory } from "./scratch-dir.ts";

/**
 * A fresh directory for one ordered read's sorted digests (about 40 bytes per model row), and
 * a function that removes it; those a killed process left behind are removed first.
 */
export function digestDirectory(parent: string): { path: string; remove: () => void } {
  return scratchDirectory(parent, "syncline-digest-");
}
