import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { keyOf } from "../key.ts";
import type { OrderedRead, OrderedReadRequest } from "../ordered-read.ts";
import type { Model, SourceContext, SourceDefinition } from "../source.ts";
import type { CanonicalRow } from "../values.ts";
import type { Runner } from "./runner.ts";

/** Keys and hashes of a whole ordered read, then the rows of the keys asked for. */
async function drain(read: OrderedRead, request: OrderedReadRequest, fields: ReadonlyArray<readonly [string, string]>) {
  const keys: string[] = [];
  const wrongHashAccepted: string[] = [];
  const hashIs = new Map<string, (hash: string) => boolean>();
  for await (const chunk of read.chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const key = keyOf(chunk.keyRow(i), request.primaryKey);
      if (chunk.key) assert.equal(chunk.key(i), key, "DigestChunk.key() must equal keyOf(keyRow())");
      if (key === undefined) continue;
      keys.push(key);
      hashIs.set(key, (hash) => {
        const answer = chunk.hashIs(i, hash);
        // hashAt, where the chunk has it, answers the same for the hash inside a longer text.
        if (chunk.hashAt)
          assert.equal(chunk.hashAt(i, `k\u0001${hash}\u0002`, 2), answer, "hashAt() must answer as hashIs()");
        return answer;
      });
      const wrong = md5(`{"${key}":"not the row"}`);
      if (chunk.hashIs(i, wrong) || chunk.hashAt?.(i, `k\u0001${wrong}\u0002`, 2)) wrongHashAccepted.push(key);
    }
  }
  const rows = new Map<string, CanonicalRow>();
  const asked = keys.filter((_, i) => i % 3 === 0);
  for await (const page of read.rows([asked.slice(0, 10), asked.slice(10)])) {
    for (const row of page) rows.set(keyOf(row, request.primaryKey)!, row);
  }
  const exact = [...rows].filter(([key, row]) => hashIs.get(key)?.(md5(JSON.stringify(fieldsOf(row, fields)))));
  return { keys, asked, rows, wrongHashAccepted, exact: exact.length };
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("base64url");
}

function fieldsOf(row: CanonicalRow, fields: ReadonlyArray<readonly [string, string]>): CanonicalRow {
  return Object.fromEntries(fields.map(([field, column]) => [field, row[column] ?? null]));
}

/**
 * The contract of SourceDefinition.readOrdered, for sources that have it (part of
 * runSourceContract): keys in the byte order of their text, `key()` equal to `keyOf(keyRow())`,
 * `hashIs` never true for another row's hash, and `rows()` returning exactly the keys asked for,
 * as `read()` gives them.
 */
export function orderedReadContract<TConfig>(
  it: Runner["it"],
  plugin: SourceDefinition<TConfig>,
  context: () => SourceContext<TConfig>,
  model: Model,
  rowCount: number,
): void {
  const cases: Array<[string, OrderedReadRequest]> = [
    [
      "a one-column key",
      {
        primaryKey: ["id"],
        fields: [
          ["k1", "k1"],
          ["pad", "pad"],
        ],
        columns: ["id", "k1", "pad"],
      },
    ],
    ["a composite key", { primaryKey: ["k1", "k2"], fields: [["id", "id"]], columns: ["k1", "k2", "id"] }],
  ];
  for (const [what, request] of cases) {
    it(`ordered read with ${what}: keys in byte order, rows by key, no wrong hash taken for equal`, async () => {
      const read = await plugin.readOrdered!(context(), model, request);
      if (!read) return; // a source may decline a model (its types); the engine then uses read()
      try {
        const { keys, asked, rows, wrongHashAccepted, exact } = await drain(read, request, request.fields);
        assert.equal(keys.length, rowCount);
        const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        assert.deepEqual(keys, sorted, "keys must come in the byte order of their text");
        assert.equal(new Set(keys).size, keys.length, "a key came twice");
        assert.deepEqual(wrongHashAccepted, [], "hashIs() accepted another row's hash");
        assert.deepEqual([...rows.keys()].sort(), [...asked].sort());
        // The rows are read() rows: the requested columns, canonical values, and hashes the
        // warehouse computed agree with the engine's for these plain types.
        assert.deepEqual(Object.keys(rows.get(asked[0]!)!), request.columns);
        assert.equal(exact, asked.length);
      } finally {
        await read.close();
      }
    });
  }
}
