import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

export interface PackedApp {
  /** A temporary folder: the tarball, and `app/` with the package installed. */
  root: string;
  /** An empty app with only the packed Syncline installed (production dependencies). */
  app: string;
  remove(): void;
}

/**
 * What users install: `npm pack` (its prepack builds the package), then the tarball installed
 * into an empty app folder with its production dependencies, as `npm install syncline` would.
 */
export async function installPacked(): Promise<PackedApp> {
  const root = mkdtempSync(join(tmpdir(), "syncline-packed-"));
  const npm = { encoding: "utf8" as const, maxBuffer: 64 * 1024 * 1024 };
  await run("npm", ["pack", "--silent", "--pack-destination", root], { ...npm, cwd: ROOT });
  const tarball = readdirSync(root).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack left no tarball in ${root}`);
  const app = join(root, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  await run("npm", ["install", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", join(root, tarball)], {
    ...npm,
    cwd: app,
  });
  return { root, app, remove: () => rmSync(root, { recursive: true, force: true }) };
}
