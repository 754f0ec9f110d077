import { keyOf } from "./key.ts";
import type { DigestChunk } from "./ordered-read.ts";
import type { CanonicalRow, CanonicalValue } from "./values.ts";

/**
 * The key half of a DigestChunk read from a warehouse's ordered digest query: each row's
 * canonical key text (null when the key or a part of it is null), as syncline/sdk/sql's
 * orderedDigestSql writes it. A source adds how it keeps the hashes.
 */
export abstract class KeyTextChunk implements DigestChunk {
  readonly length: number;
  private readonly names: readonly string[];
  private readonly keys: ReadonlyArray<string | null>;

  /** `names`: the primary key's columns; `keys[i]` is row i's key text. */
  constructor(names: readonly string[], keys: ReadonlyArray<string | null>) {
    this.names = names;
    this.keys = keys;
    this.length = keys.length;
  }

  keyRow(index: number): CanonicalRow {
    const key = this.keys[index] ?? null;
    if (this.names.length === 1) return { [this.names[0]!]: key };
    // A composite key's text is the JSON array of its parts' canonical values (keyOf's form).
    const parts = key === null ? [] : (JSON.parse(key) as CanonicalValue[]);
    const row: CanonicalRow = {};
    for (let c = 0; c < this.names.length; c++) row[this.names[c]!] = parts[c] ?? null;
    return row;
  }

  /** A one-column key's text is the key itself; a composite one is rebuilt from its parts. */
  readonly key = (index: number): string | undefined => {
    if (this.names.length > 1) return keyOf(this.keyRow(index), this.names);
    const key = this.keys[index];
    return key === null || key === undefined || key === "" ? undefined : key;
  };

  abstract hashIs(index: number, hash: string): boolean;
}

/**
 * A KeyTextChunk whose hashes are md5 digests as 32 hex digits (first byte first), one string
 * per row, as a SQL source's ordered digest query returns them (Dialect.digestHex).
 */
export class HexDigestChunk extends KeyTextChunk {
  private readonly hashes: readonly string[];

  constructor(names: readonly string[], keys: ReadonlyArray<string | null>, hashes: readonly string[]) {
    super(names, keys);
    this.hashes = hashes;
  }

  hashIs(index: number, hash: string): boolean {
    return hash.length === 22 && md5HexEquals(hash, 0, this.hashes[index] ?? "", 0);
  }

  readonly hashAt = (index: number, text: string, at: number): boolean =>
    md5HexEquals(text, at, this.hashes[index] ?? "", 0);
}

/** base64url character code → its 6 bits, -1 for any other character. */
const SIXBITS = new Int8Array(128).fill(-1);
for (const [i, ch] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].entries()) {
  SIXBITS[ch.charCodeAt(0)] = i;
}
/** Hex digit character code → its value (either case), -1 for any other character. */
const NIBBLE = new Int8Array(128).fill(-1);
for (const [i, ch] of [..."0123456789abcdef"].entries()) {
  NIBBLE[ch.charCodeAt(0)] = i;
  NIBBLE[ch.toUpperCase().charCodeAt(0)] = i;
}

function six(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? SIXBITS[code]! : -1;
}

/**
 * Byte `index` of the hex digest at `from` (written last byte first when `reversed`), or -1
 * when those two characters are no hex pair.
 */
function hexByte(hex: string, from: number, index: number, reversed: boolean): number {
  const at = reversed ? from + 30 - 2 * index : from + 2 * index;
  const high = hex.charCodeAt(at);
  const low = hex.charCodeAt(at + 1);
  if (!(high < 128 && low < 128)) return -1;
  const h = NIBBLE[high]!;
  const l = NIBBLE[low]!;
  return (h | l) < 0 ? -1 : (h << 4) | l;
}

/**
 * Whether the base64url md5 at `from` in `hash` (22 characters, the engine's form) is the
 * digest written as 32 hex digits at `hexFrom` in `hex`, first byte first, or last byte first
 * when `reversed` (DuckDB's md5_number reads the digest as a little-endian integer). Compares
 * in place: no string per row. Four base64 characters are three bytes.
 */
export function md5HexEquals(hash: string, from: number, hex: string, hexFrom: number, reversed = false): boolean {
  if (from < 0 || from + 22 > hash.length || hexFrom < 0 || hexFrom + 32 > hex.length) return false;
  let byte = 0;
  for (let at = from; at < from + 20; at += 4) {
    const a = six(hash, at);
    const b = six(hash, at + 1);
    const c = six(hash, at + 2);
    const d = six(hash, at + 3);
    if ((a | b | c | d) < 0) return false;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    if (hexByte(hex, hexFrom, byte, reversed) !== bits >>> 16) return false;
    if (hexByte(hex, hexFrom, byte + 1, reversed) !== ((bits >>> 8) & 0xff)) return false;
    if (hexByte(hex, hexFrom, byte + 2, reversed) !== (bits & 0xff)) return false;
    byte += 3;
  }
  // The last two characters hold the 16th byte and four zero bits.
  const y = six(hash, from + 20);
  const z = six(hash, from + 21);
  if ((y | z) < 0 || (z & 0xf) !== 0) return false;
  return hexByte(hex, hexFrom, 15, reversed) === ((y << 2) | (z >>> 4));
}
