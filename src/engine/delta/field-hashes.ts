import type { CanonicalRow, CanonicalValue } from "../../sdk/values.ts";

/**
 * Per-field hashes of a delivered record, for `sendChangedFieldsOnly`, kept in one text column
 * of its snapshot row: a header (8 characters, a digest of the mapped field names, so a changed
 * mapping reads as "unknown" instead of misaligning) then 8 characters per mapped field, in
 * mapping order. 48 bits per field: change detection among a record's own values, not
 * security. A field sent but not confirmed (the call failed or is in doubt) holds DIRTY, which
 * equals no hash: it is sent again until a delivery succeeds.
 */
const WIDTH = 8;
export const DIRTY = "********";
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * 48 bits of a 64-bit multiply-xorshift hash (cyrb53's mixing) of `text`, as 8 characters.
 * `seed` tells apart texts of different kinds (the string "1" from the number 1).
 */
export function hash48(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return encode24(h1 >>> 8) + encode24(h2 >>> 8);
}

function encode24(n: number): string {
  return ALPHABET[(n >>> 18) & 63]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
}

/** The header for a mapping: its field names, in mapping order. */
export function headerOf(names: readonly string[]): string {
  return hash48(JSON.stringify(names));
}

/** The stored hashes of a record's fields (missing fields hash as null). */
export function fieldHashes(header: string, names: readonly string[], fields: CanonicalRow): string {
  let out = header;
  for (const name of names) out += valueHash(fields[name] ?? null);
  return out;
}

/**
 * A canonical value's hash: strings, numbers and booleans hashed as their text with a seed per
 * type (no JSON.stringify per field: it cost a first run of the delta bench a third more plan
 * time), lists and objects as their JSON.
 */
function valueHash(value: CanonicalValue): string {
  if (value === null) return NULL_HASH;
  switch (typeof value) {
    case "string":
      return hash48(value, 1);
    case "number":
      return hash48(String(value), 2);
    case "boolean":
      return value ? TRUE_HASH : FALSE_HASH;
    default:
      return hash48(JSON.stringify(value), 3);
  }
}

const NULL_HASH = hash48("null", 4);
const TRUE_HASH = hash48("true", 4);
const FALSE_HASH = hash48("false", 4);

/**
 * The fields whose hash differs between the last delivery (`previous`) and now (`next`), or
 * undefined when `previous` says nothing usable (never delivered, another mapping): all fields.
 */
export function changedFields(previous: string | null, next: string, names: readonly string[]): string[] | undefined {
  if (previous === null || previous.length !== next.length || !previous.startsWith(next.slice(0, WIDTH))) {
    return undefined;
  }
  const changed: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const at = WIDTH * (i + 1);
    if (previous.slice(at, at + WIDTH) !== next.slice(at, at + WIDTH)) changed.push(names[i]!);
  }
  return changed;
}

/**
 * What the snapshot keeps if the delivery carrying `sent` fails or stays in doubt: the last
 * delivered hashes, with every sent field that differs from them marked DIRTY (the destination
 * may hold the new value or the old one). Null stays null: every field is sent anyway.
 */
export function failedHashes(
  previous: string | null,
  next: string,
  names: readonly string[],
  sent: ReadonlySet<string>,
): string | null {
  if (previous === null || changedFields(previous, next, names) === undefined) return null;
  let out = previous.slice(0, WIDTH);
  for (let i = 0; i < names.length; i++) {
    const at = WIDTH * (i + 1);
    const before = previous.slice(at, at + WIDTH);
    out += sent.has(names[i]!) && before !== next.slice(at, at + WIDTH) ? DIRTY : before;
  }
  return out;
}
