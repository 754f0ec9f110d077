#!/usr/bin/env node
// Syncline's command line. Node >= 22.18 runs the TypeScript sources directly (type stripping);
// so does Deno 2.
import "./require-node.js";

// Restart the runtime in place (same process id, so signals and exit codes are untouched) with
// the V8 flags and the environment Syncline is measured with (src/cli/node-flags.ts), unless
// the user set them; `syncline check` reports whether they are in effect.
const { applyMemorySettings } = await import("../src/cli/memory-settings.ts");
applyMemorySettings();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
