import { registerHooks } from "node:module";
import { pathToFileURL } from "node:url";
import { codeModule } from "../package-root.ts";

const SDK = pathToFileURL(codeModule("src", "sdk", "index")).href;
const SDK_SQL = pathToFileURL(codeModule("src", "sdk", "sql", "index")).href;
const SDK_TESTING = pathToFileURL(codeModule("src", "sdk", "testing", "index")).href;
const VALIBOT = import.meta.resolve("valibot");
let registered = false;

/**
 * Plugins import `syncline/sdk` (and `syncline/sdk/sql`, `syncline/sdk/testing`). Wherever a plugin is installed (a node_modules folder next to
 * the config, or a local path), that specifier resolves to this host's own SDK, so every plugin
 * shares the host's error classes (classification by class works) and a plugin package needs
 * no copy of Syncline of its own. The same goes for `valibot`, the schema library the SDK's
 * config schemas are written in (a peer dependency of every plugin). The built-in plugins go
 * through the same hook, so the CLI runs them from the sources (in a clone of the repository)
 * or from dist/ (the package) with the SDK of the code that is running, without the
 * `syncline-source` export condition.
 */
export function resolveSdkForPlugins(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === "syncline/sdk") return { url: SDK, shortCircuit: true };
      if (specifier === "syncline/sdk/sql") return { url: SDK_SQL, shortCircuit: true };
      if (specifier === "syncline/sdk/testing") return { url: SDK_TESTING, shortCircuit: true };
      if (specifier === "valibot") return { url: VALIBOT, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}
