import { open } from "node:fs/promises";
import { TransientError } from "syncline/sdk";
import { FileDigestChunk } from "./digest-chunk.ts";

const BLOCK = 1 << 20;
const ROWS = 2048;
const HEX = 32;
const QUOTE = 34;
const NEWLINE = 10;

/**
 * Reads the sorted digest file that DuckDB's COPY wrote (ordered.ts): CSV rows of
 * `<32 hex digits>,<key text>`, in file order, as chunks of at most 2,048 rows that never
 * straddle two blocks of text (a chunk reads its hashes in place from its block). DuckDB
 * quotes a key that holds a comma, a quote or a line break ("" inside doubles a quote), writes
 * an empty string as "" and NULL as nothing. Blocks are decoded as UTF-8 only up to their last
 * line break, so no character is ever split.
 */
export async function* readDigestFile(path: string, names: readonly string[]): AsyncGenerator<FileDigestChunk> {
  const file = await open(path, "r").catch((error: unknown) => {
    throw unreadable(path, error);
  });
  try {
    const block = Buffer.allocUnsafe(BLOCK);
    let carry: Buffer = Buffer.alloc(0);
    let text = "";
    for (;;) {
      const { bytesRead } = await file.read(block, 0, BLOCK, null).catch((error: unknown) => {
        throw unreadable(path, error);
      });
      const data =
        carry.length > 0 ? Buffer.concat([carry, block.subarray(0, bytesRead)]) : block.subarray(0, bytesRead);
      const end = bytesRead === 0 ? data.length : data.lastIndexOf(NEWLINE) + 1;
      carry = Buffer.from(data.subarray(end));
      text += data.toString("utf8", 0, end);
      let at = 0;
      for (;;) {
        const keys: Array<string | null> = [];
        const hashAt = new Int32Array(ROWS);
        while (keys.length < ROWS) {
          const next = parseRow(text, at, keys, path);
          if (next < 0) break;
          hashAt[keys.length - 1] = at;
          at = next;
        }
        if (keys.length === 0) break;
        yield new FileDigestChunk(names, keys, text, hashAt);
      }
      text = text.slice(at);
      if (bytesRead === 0) break;
    }
    if (text.length > 0 || carry.length > 0) throw malformed(path, "it ends inside a row");
  } finally {
    await file.close();
  }
}

/** Parses the key of the row at `at` into keys; returns where the next row starts, or -1 when the row is incomplete. */
function parseRow(text: string, at: number, keys: Array<string | null>, path: string): number {
  if (at + HEX + 1 > text.length) return -1;
  if (text.charCodeAt(at + HEX) !== 44) throw malformed(path, "a row does not start with 32 hex digits and a comma");
  const start = at + HEX + 1;
  if (text.charCodeAt(start) !== QUOTE) {
    const newline = text.indexOf("\n", start);
    if (newline < 0) return -1;
    keys.push(newline === start ? null : text.slice(start, newline));
    return newline + 1;
  }
  // A quoted key: up to the quote that is not doubled.
  let key = "";
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0 || quote + 1 >= text.length) return -1;
    key += text.slice(from, quote);
    if (text.charCodeAt(quote + 1) === QUOTE) {
      key += '"';
      from = quote + 2;
      continue;
    }
    if (text.charCodeAt(quote + 1) !== NEWLINE) throw malformed(path, "a quoted key is not followed by a line break");
    keys.push(key);
    return quote + 2;
  }
}

function malformed(path: string, why: string): TransientError {
  return new TransientError(`the sorted digest file ${path} cannot be read: ${why}`, { code: "duckdb_io" });
}

function unreadable(path: string, error: unknown): TransientError {
  return new TransientError(`the sorted digest file ${path} cannot be read: ${(error as Error).message}`, {
    code: "duckdb_io",
    cause: error,
  });
}
