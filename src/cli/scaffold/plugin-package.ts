import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { PACKAGE_ROOT } from "../../package-root.ts";
import { ConfigurationError } from "../../sdk/errors/configuration-error.ts";

export interface PluginPackageOptions {
  dir: string;
  kind: "destination" | "source";
  language: "ts" | "js";
  /** The plugin's name (the `type:` in syncline.yaml); default: from the folder's name. */
  name?: string | undefined;
  /** How the new package's devDependencies get Syncline (a version range, or a tarball's path). */
  syncline?: string | undefined;
}

const TEMPLATES = join(PACKAGE_ROOT, "templates", "plugin");
const NAME = /^[a-z][a-z0-9-]*$/;

/** Writes a plugin package into `dir` from the templates shipped with Syncline; returns its name. */
export function writePluginPackage(options: PluginPackageOptions): { name: string; packageName: string } {
  const { dir, kind, language } = options;
  const packageName = basename(dir).startsWith("syncline-plugin-") ? basename(dir) : `syncline-plugin-${basename(dir)}`;
  const name = options.name ?? packageName.slice("syncline-plugin-".length);
  if (!NAME.test(name)) {
    throw new ConfigurationError(`"${name}" is not a valid plugin name`, {
      code: "usage",
      fix: "use lowercase letters, digits and '-', starting with a letter (--name <name>, or rename the folder)",
    });
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ConfigurationError(`${dir} already exists and is not empty`, {
      code: "usage",
      fix: "give `syncline plugin init` a new or empty folder",
    });
  }
  const template = join(TEMPLATES, `${kind}-${language}`);
  mkdirSync(dir, { recursive: true });
  cpSync(template, dir, { recursive: true });
  cpSync(join(TEMPLATES, "common"), dir, { recursive: true });
  renameSync(join(dir, "gitignore"), join(dir, ".gitignore")); // npm pack drops files named .gitignore
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as SynclineManifest;
  const manifest = pluginManifest(own, packageName, kind, language, options.syncline ?? `^${own.version}`);
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const values: Record<string, string> = {
    __PACKAGE_NAME__: packageName,
    __PLUGIN_NAME__: name,
    __KIND__: kind,
    __DEFINE__: kind === "destination" ? "Destination" : "Source",
    __EXT__: language,
    __BUILD__:
      language === "ts" ? "dist/: JavaScript, declarations and source maps" : "types/: declarations from the JSDoc",
  };
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file, "utf8");
    const filled = text.replace(/__[A-Z_]+__/g, (token) => values[token] ?? token);
    if (filled !== text) writeFileSync(file, filled);
  }
  return { name, packageName };
}

interface SynclineManifest {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

function pluginManifest(
  own: SynclineManifest,
  name: string,
  kind: string,
  language: "ts" | "js",
  synclineSpec: string,
): Record<string, unknown> {
  const major = Number(own.version.split(".")[0]);
  const built = language === "ts" ? "dist" : "src";
  const types = language === "ts" ? "dist" : "types";
  const entry = (file: string) => ({ types: `./${types}/${file}.d.ts`, default: `./${built}/${file}.js` });
  return {
    name,
    version: "0.1.0",
    description: `A Syncline ${kind} plugin`,
    type: "module",
    exports: { ".": entry("index"), "./fake": entry("fake") },
    files: language === "ts" ? ["dist"] : ["src", "types"],
    keywords: ["syncline", "syncline-plugin"],
    engines: { node: ">=22.18" },
    scripts: {
      build: "tsc -p tsconfig.build.json",
      typecheck: "tsc",
      test: `node --test "test/**/*.test.${language}"`,
      prepack: "npm run build",
    },
    // The plugin runs on the SDK and valibot of the Syncline that loads it, within the range of
    // Syncline versions that speak its plugin API (docs/plugins.md, "Versions"). Optional, so
    // that npm never fetches Syncline itself for the plugin: it installs beside a Syncline from
    // a tarball or a global install, in either order.
    peerDependencies: { syncline: `>=${own.version} <${major + 1}`, valibot: majorRange(own.dependencies.valibot) },
    peerDependenciesMeta: { syncline: { optional: true } },
    devDependencies: {
      "@types/node": own.devDependencies["@types/node"],
      syncline: synclineSpec,
      typescript: own.devDependencies.typescript,
      valibot: own.dependencies.valibot,
    },
  };
}

/** "^1.5.0" → "^1.0.0": a peer range as wide as the major version the host ships. */
function majorRange(range: string | undefined): string {
  return `^${/\d+/.exec(range ?? "1")?.[0] ?? "1"}.0.0`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(dir, file).startsWith("node_modules"));
}
