import { preview } from "../../engine/preview.ts";
import { formatPreview } from "../format.ts";
import type { CliOptions } from "../main.ts";
import { openForCommand } from "./open.ts";

export async function runPlan(sync: string, options: CliOptions): Promise<number> {
  const app = await openForCommand(options);
  try {
    const result = await preview(app.state.sqlite, app.engine.sync(sync), app.logger, {
      fullResync: options.fullResync,
    });
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatPreview(sync, result)}\n`);
    return 0;
  } finally {
    await app.close();
  }
}
