import { appendFile, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ConfigurationError, defineDestination, fieldsJson, ok } from "syncline/sdk";
import * as v from "valibot";

const config = v.strictObject({
  /** Directory that receives one `<object>.jsonl` operation log per object. */
  path: v.pipe(v.string(), v.nonEmpty()),
});

/**
 * An offline destination for demos and tests: every operation is appended to
 * `<path>/<object>.jsonl` as `{"op","key","fields","at"}`, so you can read exactly what a
 * run sent (`tail -f`), and replaying the log (replay.ts) gives what a CRM would hold.
 */
export default defineDestination<v.InferOutput<typeof config>>({
  name: "file",
  description: "Appends every operation to a JSONL log per object (offline; for demos and tests)",
  config,
  capabilities: { operations: ["upsert", "update", "insert", "delete"], maxRecords: 1000, concurrency: 1 },

  async check(ctx) {
    try {
      await mkdir(resolve(ctx.baseDir, ctx.config.path), { recursive: true });
    } catch (error) {
      throw new ConfigurationError(`cannot create directory ${ctx.config.path}`, {
        fix: "choose a writable `path`",
        cause: error,
      });
    }
  },

  async write(ctx, batch) {
    if (!/^[A-Za-z0-9_.-]+$/.test(batch.object) || batch.object.startsWith(".")) {
      throw new ConfigurationError(`object "${batch.object}" is not a safe file name`, {
        fix: "use letters, digits, '_', '-' and '.' in the sync's `object`",
      });
    }
    const dir = resolve(ctx.baseDir, ctx.config.path);
    const at = new Date().toISOString();
    const op = JSON.stringify(batch.operation);
    const stamp = JSON.stringify(at);
    // The same line JSON.stringify({ op, key, fields, at }) writes, the fields' text spliced in.
    const lines = batch.records.map((record) =>
      batch.operation === "delete"
        ? JSON.stringify({ op: "delete", key: record.key, at })
        : `{"op":${op},"key":${JSON.stringify(record.key)},"fields":${fieldsJson(record)},"at":${stamp}}`,
    );
    await appendCreating(dir, join(dir, `${batch.object}.jsonl`), `${lines.join("\n")}\n`);
    return batch.records.map((record) => ok(record, record.key));
  },
});

/** Appends to the file, creating its directory only when it is missing (not once per batch). */
async function appendCreating(dir: string, file: string, text: string): Promise<void> {
  try {
    await appendFile(file, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await mkdir(dir, { recursive: true });
    await appendFile(file, text);
  }
}
