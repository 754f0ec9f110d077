import { rmSync } from "node:fs";
import { packDir } from "./tarball.ts";

/** Removes the tarball the package tests of this run shared (vitest's main process owns it). */
export function teardown(): void {
  rmSync(packDir(process.pid), { recursive: true, force: true });
}
