import { preview } from "../../engine/index.ts";
import { formatPreview } from "../format.ts";
import type { CliOptions } from "../options.ts";
import { withSyncline } from "./open.ts";

export function runPlan(sync: string, options: CliOptions): Promise<number> {
  return withSyncline(options, "plan the sync", async (app) => {
    const result = await preview(app.state.sqlite, app.engine.sync(sync), app.logger, {
      fullResync: options.fullResync,
    });
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatPreview(sync, result)}\n`);
    return 0;
  });
}
