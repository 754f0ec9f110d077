/**
 * Bundles the package's command (dist/src/cli/main.js, after `tsc`) into dist/cli/: a few files
 * instead of hundreds of modules, each found, read and linked by Node's loader at every start
 * (BENCHMARKS.md, levers table). `npm run build` runs it; the package's bin/syncline.js loads it.
 *
 * Invariants:
 * - The SDK (dist/src/sdk/) stays outside the bundle, imported from its own files: plugins get
 *   those files (src/host/sdk-resolution.ts), and one copy of each SDK module means one class per
 *   error, so classification by class works across the host and its plugins.
 * - `memory-settings` is an entry of its own: bin/syncline.js calls it before `main`, and both
 *   must share one instance of it (it remembers why the settings could not be applied).
 * - Only the packages in BUNDLED are inlined: the pure JavaScript ones the command loads at
 *   every start. Native addons (better-sqlite3, DuckDB), packages that start workers from their
 *   own files (pino), valibot (shared with plugins) and the connectors' SDKs stay external.
 * - Dynamic imports become chunks, still loaded only when used.
 */
import { rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { build } from "esbuild";

const ROOT = join(import.meta.dirname, "..");
const DIST = join(ROOT, "dist");
const OUT = join(DIST, "cli");
const SDK = join(DIST, "src", "sdk");
const BUNDLED: ReadonlySet<string> = new Set([
  "yaml",
  "hono",
  "@hono/node-server",
  "drizzle-orm",
  "croner",
  "cli-table3",
  "resolve.exports",
]);

const packageName = (specifier: string): string =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [join(DIST, "src", "cli", "main.js"), join(DIST, "src", "cli", "memory-settings.js")],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  sourcemap: true,
  logLevel: "warning",
  // CommonJS packages inlined into an ES module still call require() for Node's modules.
  banner: {
    js: 'import { createRequire as synclineRequire } from "node:module"; const require = synclineRequire(import.meta.url);',
  },
  plugins: [
    {
      name: "syncline-externals",
      setup(bundle) {
        bundle.onResolve({ filter: /.*/ }, ({ path, resolveDir }) => {
          // Relative and absolute paths (the entries included) are bundled, except the SDK's.
          if (path.startsWith(".") || path.startsWith("/")) {
            const file = resolve(resolveDir, path);
            if (!file.startsWith(`${SDK}/`)) return undefined;
            return { path: `./${relative(OUT, file)}`, external: true };
          }
          return BUNDLED.has(packageName(path)) ? undefined : { external: true };
        });
      },
    },
  ],
});
