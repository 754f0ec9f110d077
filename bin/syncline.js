#!/usr/bin/env node
// Syncline's command line. The installed package runs the built JavaScript, bundled (dist/cli/,
// build/bundle.ts); a clone of the repository, where src/ exists, runs the TypeScript sources
// directly (Node's type stripping, or Deno 2), so development never needs a build and never
// runs a stale one.
import "./require-node.js";
import { existsSync } from "node:fs";
import module from "node:module";

// Node's on-disk code cache (in the system's temp directory; NODE_COMPILE_CACHE moves it,
// NODE_DISABLE_COMPILE_CACHE=1 turns it off): a start compiles, and from the sources
// type-strips, only the modules that changed since the last one. Deno has none.
module.enableCompileCache?.();

const sources = existsSync(new URL("../src/cli/main.ts", import.meta.url));
const cli = (name) => new URL(sources ? `../src/cli/${name}.ts` : `../dist/cli/${name}.js`, import.meta.url).href;
// Restart the runtime in place (same process id, so signals and exit codes are untouched) with
// the V8 flags and the environment Syncline is measured with (src/cli/node-flags.ts), unless
// the user set them; `syncline check` reports whether they are in effect.
const { applyMemorySettings } = await import(cli("memory-settings"));
if ("Deno" in globalThis) {
  // Deno cannot require() an ES module, which the SDK's HTTP client does on first use (src/sdk/http.ts).
  const http = new URL(sources ? "../src/sdk/http.ts" : "../dist/src/sdk/http.js", import.meta.url).href;
  (await import(http)).provideKy((await import("ky")).default);
}
applyMemorySettings(process.argv[2]);
const { main } = await import(cli("main"));
process.exitCode = await main(process.argv.slice(2));
