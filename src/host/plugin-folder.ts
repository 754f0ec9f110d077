import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { legacy, exports as packageExports } from "resolve.exports";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";

/**
 * The module a local plugin folder stands for, picked as `import` picks an installed
 * package's: package.json's `exports` for "." (conditions import, node, default), else its
 * `main`, else `index.js`. (Node's `import()` of a folder fails with "Directory import is not
 * supported", so the host resolves it.) `allowed` vets the entry's path before it is opened.
 */
export function folderEntry(dir: string, specifier: string, path: string, allowed: (file: string) => void): string {
  const manifest = join(dir, "package.json");
  let entry = "index.js";
  if (existsSync(manifest)) {
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(readFileSync(manifest, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigurationError(`${path}: plugin folder "${specifier}" has an unreadable package.json`, {
        path,
        code: "plugin_load",
        fix: `fix the JSON of ${manifest}`,
        cause: error,
      });
    }
    entry = pickEntry(pkg, specifier, path) ?? entry;
  }
  const file = resolve(dir, entry);
  allowed(file);
  if (!existsSync(file)) {
    throw new ConfigurationError(`${path}: plugin folder "${specifier}" has no entry file ${entry}`, {
      path,
      code: "plugin_load",
      fix: "give the folder a package.json whose `exports` (or `main`) names the plugin's file, or an index.js",
    });
  }
  return file;
}

function pickEntry(pkg: Record<string, unknown>, specifier: string, path: string): string | undefined {
  if (pkg.exports === undefined) return legacy(pkg, { browser: false, fields: ["main"] }) || undefined;
  try {
    return packageExports(pkg, ".", { conditions: ["import", "node", "default"] })?.[0];
  } catch (error) {
    throw new ConfigurationError(`${path}: plugin folder "${specifier}" exports no "." entry`, {
      path,
      code: "plugin_load",
      fix: 'add "." to the `exports` of its package.json, naming the plugin\'s file',
      cause: error,
    });
  }
}
