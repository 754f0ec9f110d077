import { memorySettings } from "../memory-settings.ts";
import type { CliOptions } from "../options.ts";

/** `syncline serve`: the HTTP service (src/server). */
export async function runServe(options: CliOptions): Promise<number> {
  const { serve } = await import("../../server/serve.ts");
  return serve({ config: options.config, logLevel: options.logLevel, run: options.run, memory: memorySettings() });
}
