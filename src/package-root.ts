import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * `.ts` when Syncline runs from its TypeScript sources (a clone of the repository), `.js` when
 * it runs from the built package (dist/). Paths to modules loaded at run time (workers, the
 * built-in plugins, the SDK handed to plugins) take this extension: the compiler rewrites
 * import specifiers, not strings.
 */
export const MODULE_EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/**
 * The directory of Syncline's package.json: the repository root, or the installed package's
 * root (dist/ sits one level further from it than src/ does, so relative paths cannot be fixed).
 */
export const PACKAGE_ROOT = findRoot(import.meta.dirname);

/**
 * Where the modules loaded by path at run time live (the built-in plugins, the SDK handed to
 * plugins, the snapshot reader's worker): the repository root for the sources, dist/ for the
 * package. Not relative to this module: the package's command runs from a bundle (dist/cli/,
 * build/bundle.ts) whose chunks sit elsewhere, while those modules stay unbundled files.
 */
export const CODE_ROOT = MODULE_EXT === ".ts" ? PACKAGE_ROOT : join(PACKAGE_ROOT, "dist");

/** The file of a module loaded by path, from CODE_ROOT: `codeModule("src", "sdk", "index")`. */
export const codeModule = (...segments: string[]): string => `${join(CODE_ROOT, ...segments)}${MODULE_EXT}`;

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`Syncline's package.json was not found above ${from}`);
  }
}
