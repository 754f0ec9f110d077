import { createRequire } from "node:module";

/**
 * The Deno executable of the `deno` devDependency, itself rather than the package's `bin.cjs`
 * (which runs Deno as a child with spawnSync and so never passes a signal on): the install
 * helper returns the platform package's binary, placing it beside `bin.cjs` when it may.
 */
export const DENO: string = (
  createRequire(import.meta.url)("deno/install_api.cjs") as { runInstall(): string }
).runInstall();
