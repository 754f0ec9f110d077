// Loaded with --import: appends the URL of every @opentelemetry module the process resolves to
// $SYNCLINE_IMPORT_LOG, so a test can tell which of the SDK's packages were loaded.
import { appendFileSync } from "node:fs";
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.includes("@opentelemetry")) appendFileSync(process.env.SYNCLINE_IMPORT_LOG, `${resolved.url}\n`);
    return resolved;
  },
});
