import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { API_VERSION, type DestinationDefinition } from "../sdk/destination.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import type { SourceDefinition } from "../sdk/source.ts";
import { BUILTIN_DESTINATIONS, BUILTIN_PLUGINS } from "./builtins.ts";
import { folderEntry } from "./plugin-folder.ts";
import { resolveSdkForPlugins } from "./sdk-resolution.ts";

export type PluginDefinition = SourceDefinition<unknown> | DestinationDefinition<unknown>;

/**
 * Finds and loads plugins: the built-in ones by name (lazily), and the ones listed under
 * `plugins:` as npm package names or local paths (relative to the config file, and never
 * outside its directory). Every plugin is checked structurally before it is registered.
 */
export class PluginRegistry {
  private readonly loaded = new Map<string, PluginDefinition>();
  private readonly origin = new Map<string, string>();

  /** Loads the third-party plugins a config lists. */
  async loadListed(specifiers: readonly string[], baseDir: string): Promise<void> {
    if (specifiers.length > 0) resolveSdkForPlugins();
    for (const [index, specifier] of specifiers.entries()) {
      const path = `plugins[${index}]`;
      const url = resolveSpecifier(specifier, baseDir, path);
      const plugin = validate(await importPlugin(url, specifier, path), specifier, path);
      const previous = this.origin.get(plugin.name);
      if (previous || BUILTIN_PLUGINS[plugin.name] || BUILTIN_DESTINATIONS[plugin.name]) {
        throw new ConfigurationError(
          `${path}: plugin "${specifier}" registers the name "${plugin.name}", already taken by ${previous ?? "a built-in plugin"}`,
          { path, code: "plugin_duplicate", fix: "remove one of them, or publish the plugin under another name" },
        );
      }
      this.loaded.set(plugin.name, plugin);
      this.origin.set(plugin.name, specifier);
    }
  }

  /**
   * The plugin registered as `name`, loading a built-in one on first use. `kind` picks the
   * destination of a name that is both a built-in source and a built-in destination.
   */
  async get(name: string, path: string, kind?: PluginDefinition["kind"]): Promise<PluginDefinition> {
    const destinationOnly = kind === "destination" && BUILTIN_DESTINATIONS[name] !== undefined;
    const id = destinationOnly ? `destination:${name}` : name;
    const cached = this.loaded.get(id);
    if (cached) return cached;
    const builtin = destinationOnly ? BUILTIN_DESTINATIONS[name] : BUILTIN_PLUGINS[name];
    if (!builtin || !existsSync(builtin)) {
      const known = [
        ...new Set([
          ...Object.keys(BUILTIN_PLUGINS).filter((n) => existsSync(BUILTIN_PLUGINS[n]!)),
          ...Object.keys(BUILTIN_DESTINATIONS).filter((n) => existsSync(BUILTIN_DESTINATIONS[n]!)),
          ...this.loaded.keys(),
        ]),
      ];
      throw new ConfigurationError(`${path}: unknown type "${name}"`, {
        path,
        code: "plugin_unknown",
        fix: `use one of: ${known.sort().join(", ")} — or list the plugin's package under \`plugins:\``,
      });
    }
    resolveSdkForPlugins();
    const plugin = validate(await importPlugin(pathToFileURL(builtin).href, name, path), name, path);
    this.loaded.set(id, plugin);
    this.origin.set(id, "built-in");
    return plugin;
  }
}

function resolveSpecifier(specifier: string, baseDir: string, path: string): string {
  if (specifier.startsWith(".") || isAbsolute(specifier)) {
    const target = resolve(baseDir, specifier);
    const inside = (file: string) => insideConfigDir(file, baseDir, specifier, path);
    inside(target);
    // A folder stands for its package's entry file, which must stay inside too.
    const file = isDirectory(target) ? folderEntry(target, specifier, path, inside) : target;
    return pathToFileURL(file).href;
  }
  try {
    return pathToFileURL(createRequire(resolve(baseDir, "syncline.yaml")).resolve(specifier)).href;
  } catch (error) {
    throw new ConfigurationError(`${path}: plugin package "${specifier}" is not installed`, {
      path,
      code: "plugin_missing",
      fix: `run \`npm install ${specifier}\` next to the config file`,
      cause: error,
    });
  }
}

function insideConfigDir(file: string, baseDir: string, specifier: string, path: string): void {
  const rel = relative(baseDir, file);
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw new ConfigurationError(`${path}: plugin path "${specifier}" is outside the config's directory`, {
      path,
      code: "plugin_path",
      fix: "keep local plugins inside the directory of the config file, or install them as npm packages",
    });
  }
}

function isDirectory(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

async function importPlugin(url: string, specifier: string, path: string): Promise<unknown> {
  try {
    const module = (await import(url)) as { default?: unknown };
    return module.default;
  } catch (error) {
    throw new ConfigurationError(`${path}: plugin "${specifier}" failed to load: ${(error as Error).message}`, {
      path,
      code: "plugin_load",
      fix: "check that the plugin is built for this Syncline and its dependencies are installed",
      cause: error,
    });
  }
}

function validate(value: unknown, specifier: string, path: string): PluginDefinition {
  const problem = (what: string) =>
    new ConfigurationError(`${path}: plugin "${specifier}" ${what}`, {
      path,
      code: "plugin_malformed",
      fix: "export default defineDestination({...}) or defineSource({...}) from syncline/sdk",
    });
  if (!value || typeof value !== "object") throw problem("has no default export");
  const plugin = value as Record<string, unknown>;
  if (plugin.kind !== "source" && plugin.kind !== "destination") throw problem('has no kind "source" or "destination"');
  if (typeof plugin.name !== "string" || !/^[a-z][a-z0-9-]*$/.test(plugin.name)) {
    throw problem("has no valid name (lowercase letters, digits and '-')");
  }
  if (plugin.apiVersion !== API_VERSION) {
    throw new ConfigurationError(
      `${path}: plugin "${specifier}" is built for plugin API ${String(plugin.apiVersion)}, this Syncline speaks ${API_VERSION}`,
      { path, code: "plugin_api_version", fix: "install a version of the plugin built for this Syncline" },
    );
  }
  if (!plugin.config || typeof plugin.config !== "object") throw problem("has no config schema");
  const methods = plugin.kind === "source" ? ["check", "columns", "read"] : ["check", "write"];
  for (const method of methods) {
    if (typeof plugin[method] !== "function") throw problem(`has no ${method}() function`);
  }
  if (plugin.kind === "destination") {
    const caps = plugin.capabilities;
    if (!caps || (typeof caps !== "object" && typeof caps !== "function")) throw problem("declares no capabilities");
  }
  return value as PluginDefinition;
}
