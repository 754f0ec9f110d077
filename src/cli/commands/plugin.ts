import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { isSynclineError } from "../../sdk/errors/syncline-error.ts";
import { writePluginPackage } from "../scaffold/plugin-package.ts";

export const PLUGIN_USAGE = `usage: syncline plugin init <dir> --destination|--source [--js] [--name <name>] [--syncline <spec>]

  Scaffolds a plugin package in <dir>: package.json (syncline as a peer dependency), the
  plugin in TypeScript (or JavaScript with --js), a fake of its API, contract tests, README.
  --name      the plugin's name, its \`type:\` in syncline.yaml (default: from <dir>)
  --syncline  how the package's devDependencies get Syncline: a version range (default
              ^<this version>) or the path of a packed syncline-<version>.tgz`;

/** `syncline plugin <subcommand>`: 0 when done, 2 for a usage error (named, with the usage). */
export async function runPlugin(argv: string[]): Promise<number> {
  try {
    return init(argv);
  } catch (error) {
    const problem = isSynclineError(error) ? error.describe() : (error as Error).message;
    // Usage mistakes (and parseArgs' own errors) get the usage; a refused name or folder its fix.
    process.stderr.write(`syncline: ${problem}\n${isSynclineError(error) ? "" : `\n${PLUGIN_USAGE}\n`}`);
    return 2;
  }
}

function init(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      destination: { type: "boolean", default: false },
      source: { type: "boolean", default: false },
      js: { type: "boolean", default: false },
      name: { type: "string" },
      syncline: { type: "string" },
    },
  });
  const [subcommand, dir, ...rest] = positionals;
  if (subcommand !== "init" || !dir || rest.length > 0 || values.destination === values.source) {
    throw new Error("syncline plugin init needs a folder and one of --destination or --source");
  }
  const target = resolve(dir);
  // A tarball is named relative to the new package, as npm writes `file:` specs.
  const tarball = values.syncline?.endsWith(".tgz") ? relative(target, resolve(values.syncline)) : undefined;
  const syncline = tarball === undefined ? values.syncline : `file:${tarball}`;
  const { name, packageName } = writePluginPackage({
    dir: target,
    kind: values.destination ? "destination" : "source",
    language: values.js ? "js" : "ts",
    name: values.name,
    syncline,
  });
  process.stdout.write(`created ${packageName} (type: ${name}) in ${dir}

  cd ${dir}
  npm install
  npm test        # the contract and the plugin's tests against its fake API
  npm pack        # ${packageName}-0.1.0.tgz
`);
  return 0;
}
