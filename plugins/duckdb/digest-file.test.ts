import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { md5HexEquals } from "./digest-chunk.ts";
import { readDigestFile } from "./digest-file.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-digest-file-"));
let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
});
afterAll(() => instance.closeSync());

/** Writes `keys` the way ordered.ts does (DuckDB's COPY to CSV) and reads them back. */
async function roundTrip(values: string, name: string) {
  const file = join(dir, `${name}.csv`);
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT lpad(hex(md5_number(coalesce(k, '∅'))), 32, '0'), k FROM (${values}) ORDER BY n)
    TO '${file}' (FORMAT csv, HEADER false)`);
  const expected = (await connection.runAndReadAll(`SELECT k FROM (${values}) ORDER BY n`)).getRows().map((r) => r[0]);
  connection.closeSync();
  const keys: Array<string | undefined> = [];
  const rows: Array<string | null> = [];
  let chunks = 0;
  let largest = 0;
  for await (const chunk of readDigestFile(file, ["k"])) {
    chunks++;
    largest = Math.max(largest, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      keys.push(chunk.key(i));
      rows.push(chunk.keyRow(i).k as string | null);
      const source = (chunk.keyRow(i).k as string | null) ?? "∅";
      expect(chunk.hashIs(i, createHash("md5").update(source).digest("base64url"))).toBe(true);
      expect(chunk.hashIs(i, createHash("md5").update(`${source}x`).digest("base64url"))).toBe(false);
    }
  }
  return { expected, keys, rows, chunks, largest };
}

describe("the sorted digest file DuckDB writes", () => {
  it("reads back every key DuckDB quotes: commas, quotes, line breaks, empty strings and NULL", async () => {
    const { expected, keys, rows } = await roundTrip(
      `SELECT * FROM (VALUES (1, 'plain'), (2, 'a,b'), (3, 'say "hi"'), (4, 'two' || chr(10) || 'lines'),
        (5, 'cr' || chr(13) || 'x'), (6, ''), (7, NULL), (8, '"'), (9, '""' || chr(10)), (10, 'tab' || chr(9) || 'x'),
        (11, 'é😀'), (12, ' spaced ')) v(n, k)`,
      "quoted",
    );
    expect(rows).toEqual(expected);
    // The engine's key: the text itself, undefined for NULL and empty keys.
    expect(keys).toEqual(expected.map((k) => (k === null || k === "" ? undefined : k)));
  });

  it("keeps rows whole across its 1 MiB blocks, multi-byte characters and quoted line breaks included", async () => {
    const { expected, rows, chunks, largest } = await roundTrip(
      `SELECT n, CASE WHEN n % 97 = 0 THEN 'q"' || chr(10) || n ELSE repeat('é', (n % 40)::INTEGER) || '😀' || n END AS k
       FROM range(60000) t(n)`,
      "blocks",
    );
    expect(rows).toEqual(expected);
    // Chunks of at most 2,048 rows, cut at block ends too (the file is over 1 MiB).
    expect(largest).toBe(2048);
    expect(chunks).toBeGreaterThan(Math.ceil(60000 / 2048));
  });

  it("refuses a file that is not what DuckDB writes, with the file named", async () => {
    const file = join(dir, "bad.csv");
    writeFileSync(file, "this line is not a row of the digest file at all\n");
    await expect(async () => {
      for await (const _ of readDigestFile(file, ["k"])) {
        // drain
      }
    }).rejects.toThrow(/bad\.csv cannot be read: a row does not start with 32 hex digits/);
    writeFileSync(file, `${"0".repeat(32)},"unterminated\n`);
    await expect(async () => {
      for await (const _ of readDigestFile(file, ["k"])) {
        // drain
      }
    }).rejects.toThrow(/ends inside a row/);
  });
});

describe("md5HexEquals", () => {
  it("matches the engine's base64url md5 with DuckDB's hex of md5_number, and nothing else", async () => {
    const connection = await instance.connect();
    const texts = Array.from({ length: 500 }, (_, i) => `row ${i} ${"x".repeat(i % 13)}`);
    const hexes = (
      await connection.runAndReadAll(
        `SELECT lpad(hex(md5_number(t)), 32, '0') FROM unnest([${texts.map((t) => `'${t}'`).join(",")}]) u(t)`,
      )
    )
      .getRows()
      .map((r) => r[0] as string);
    connection.closeSync();
    for (const [i, text] of texts.entries()) {
      const hash = createHash("md5").update(text).digest("base64url");
      expect(md5HexEquals(hash, 0, hexes[i]!, 0)).toBe(true);
      expect(md5HexEquals(hash, 0, hexes[i]!.toLowerCase(), 0)).toBe(true);
      // In place, inside longer texts (a snapshot page, a block of the digest file).
      expect(md5HexEquals(`k\u0001${hash}\u0002x`, 2, `…,${hexes[i]},7\n`, 2)).toBe(true);
      expect(md5HexEquals(`k\u0001${hash}\u0002x`, 1, `…,${hexes[i]},7\n`, 2)).toBe(false);
      expect(md5HexEquals(hash, 0, hexes[(i + 1) % texts.length]!, 0)).toBe(false);
      // Every single changed character is noticed.
      for (let at = 0; at < 32; at++) {
        const flipped = hexes[i]!.slice(0, at) + (hexes[i]![at] === "0" ? "1" : "0") + hexes[i]!.slice(at + 1);
        expect(md5HexEquals(hash, 0, flipped, 0)).toBe(false);
      }
    }
    expect(md5HexEquals("", 0, hexes[0]!, 0)).toBe(false);
    expect(md5HexEquals("!".repeat(22), 0, hexes[0]!, 0)).toBe(false);
    const first = createHash("md5").update(texts[0]!).digest("base64url");
    expect(md5HexEquals(first, 0, "G".repeat(32), 0)).toBe(false);
    expect(md5HexEquals(first, 1, hexes[0]!, 0)).toBe(false); // runs past the end
    expect(md5HexEquals(first, 0, hexes[0]!, 1)).toBe(false);
  });
});
