import type { DuckDBDataChunk, DuckDBVector } from "@duckdb/node-api";
import type { CanonicalRow, DigestChunk } from "syncline/sdk";
import type { Converter } from "./values.ts";

/**
 * One chunk of an ordered read: the key columns, then the row's md5 as four little-endian
 * 32-bit words (UINTEGER vectors: plain numbers, no string decoding per row).
 */
export class OrderedChunk implements DigestChunk {
  readonly length: number;
  private readonly keys: DuckDBVector[];
  private readonly words: DuckDBVector[];
  private readonly names: readonly string[];
  private readonly converters: readonly Converter[];

  constructor(chunk: DuckDBDataChunk, names: readonly string[], converters: readonly Converter[]) {
    this.names = names;
    this.converters = converters;
    this.length = chunk.rowCount;
    this.keys = names.map((_, c) => chunk.getColumnVector(c));
    this.words = [0, 1, 2, 3].map((w) => chunk.getColumnVector(names.length + w));
  }

  keyRow(index: number): CanonicalRow {
    const out: CanonicalRow = {};
    for (let c = 0; c < this.names.length; c++) out[this.names[c]!] = this.converters[c]!(this.keys[c]!.getItem(index));
    return out;
  }

  hashIs(index: number, hash: string): boolean {
    return md5WordsEqual(hash, this.words, index);
  }
}

const SIXBITS = new Int8Array(128).fill(-1);
for (const [i, ch] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].entries()) {
  SIXBITS[ch.charCodeAt(0)] = i;
}

/** Whether a base64url md5 (22 characters) is the digest whose little-endian 32-bit words are at `index`. */
export function md5WordsEqual(hash: string, words: readonly DuckDBVector[], index: number): boolean {
  if (hash.length !== 22) return false;
  let bits = 0;
  let count = 0;
  let word = 0;
  let wordBytes = 0;
  let w = 0;
  for (let i = 0; i < 22; i++) {
    const code = hash.charCodeAt(i);
    const six = code < 128 ? SIXBITS[code]! : -1;
    if (six < 0) return false;
    bits = ((bits << 6) | six) & 0xffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      word |= ((bits >> count) & 0xff) << (8 * wordBytes);
      if (++wordBytes === 4) {
        if (word >>> 0 !== words[w]!.getItem(index)) return false;
        w++;
        word = 0;
        wordBytes = 0;
      }
    }
  }
  return true;
}
