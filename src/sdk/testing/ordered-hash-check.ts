import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { keyOf } from "../key.ts";
import type { DigestChunk, OrderedReadRequest } from "../ordered-read.ts";
import type { Model, SourceContext, SourceDefinition } from "../source.ts";
import type { CanonicalRow } from "../values.ts";

export interface OrderedHashCheck {
  /** Every key of the ordered read, in its order (undefined for a null key). */
  keys: Array<string | undefined>;
  /** The rows (as `read` gives them) whose warehouse hash is not the engine's hash of them. */
  misses: CanonicalRow[];
}

/**
 * For a source's tests of readOrdered: reads a model's keys and hashes, then the model whole
 * with `read`, and compares each row's hash with the engine's own (md5 of the canonical JSON
 * of `request.fields`). Asserts that no hash equals the engine's hash of another row whose
 * fields differ (a false "unchanged"), and that `key()` is `keyOf(keyRow())`; returns the keys
 * in order and the rows whose hash the warehouse does not reproduce (those only cost time).
 */
export async function orderedHashCheck<TConfig>(
  plugin: SourceDefinition<TConfig>,
  ctx: SourceContext<TConfig>,
  model: Model,
  request: OrderedReadRequest,
): Promise<OrderedHashCheck> {
  const read = await plugin.readOrdered?.(ctx, model, request);
  assert.ok(read, "the source declined the model");
  const digests: Array<{ key: string | undefined; chunk: DigestChunk; i: number }> = [];
  try {
    for await (const chunk of read.chunks) {
      for (let i = 0; i < chunk.length; i++) {
        const key = keyOf(chunk.keyRow(i), request.primaryKey);
        if (chunk.key) assert.equal(chunk.key(i), key, "DigestChunk.key() must equal keyOf(keyRow())");
        digests.push({ key, chunk, i });
      }
    }
  } finally {
    await read.close();
  }
  const json = new Map<string, { row: CanonicalRow; json: string }>();
  for await (const page of plugin.read(ctx, model, { columns: request.columns })) {
    for (const row of page) {
      const fields = Object.fromEntries(request.fields.map(([field, column]) => [field, row[column] ?? null]));
      const key = keyOf(row, request.primaryKey);
      if (key !== undefined) json.set(key, { row, json: JSON.stringify(fields) });
    }
  }
  const misses: CanonicalRow[] = [];
  for (const { key, chunk, i } of digests) {
    const own = key === undefined ? undefined : json.get(key);
    if (!own) continue;
    if (!chunk.hashIs(i, md5(own.json))) misses.push(own.row);
    for (const [other, { json: text }] of json) {
      if (other !== key && text !== own.json)
        assert.equal(chunk.hashIs(i, md5(text)), false, `${key} took ${other}'s hash`);
    }
  }
  return { keys: digests.map((d) => d.key), misses };
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("base64url");
}
