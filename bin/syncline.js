#!/usr/bin/env node
// Syncline's command line. The installed package runs the built JavaScript (dist/); a clone of
// the repository, where src/ exists, runs the TypeScript sources directly (type stripping), so
// development never needs a build and never runs a stale one.
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `syncline needs Node.js 22.18 or newer (this is ${process.version}); install Node 24 LTS and try again\n`,
  );
  process.exit(2);
}
const sources = existsSync(new URL("../src/cli/main.ts", import.meta.url));
const cli = (name) => new URL(sources ? `../src/cli/${name}.ts` : `../dist/src/cli/${name}.js`, import.meta.url).href;
// Re-execute Node in place (same process id, so signals and exit codes are untouched) with
// the V8 flags and the environment Syncline is measured with (src/cli/node-flags.ts), unless
// the user set them.
if (typeof process.execve === "function" && process.env.SYNCLINE_NODE_FLAGS !== "off") {
  const { missingNodeEnv, missingNodeFlags } = await import(cli("node-flags"));
  const missing = missingNodeFlags(process.execArgv, process.env.NODE_OPTIONS);
  const env = missingNodeEnv(process.env);
  if (missing.length > 0 || Object.keys(env).length > 0) {
    process.execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)], {
      ...process.env,
      ...env,
    });
  }
}
const { main } = await import(cli("main"));
process.exitCode = await main(process.argv.slice(2));
