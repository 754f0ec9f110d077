import type { CanonicalRow } from "./values.ts";

/**
 * An optional, faster way for a source to feed the engine's delta (see
 * SourceDefinition.readOrdered): the model's keys ordered by their canonical text, each with
 * the hash of its mapped fields computed by the warehouse, so the engine can merge them with
 * its snapshot (also ordered by key) and then fetch only the rows that changed.
 */
export interface OrderedReadRequest {
  /** The primary key's columns. */
  primaryKey: readonly string[];
  /** [destination field, model column] in the order the fields appear in their canonical JSON. */
  fields: ReadonlyArray<readonly [string, string]>;
  /** The columns `rows()` returns (the key first, then the mapped ones), as ReadOptions.columns. */
  columns: readonly string[];
  /**
   * The engine means to read every row through `allRows` (a first sync, which then sends the
   * rows as they stream by): a source that does not offer that, or should not for this model,
   * resolves to undefined at once, before any query, and the engine reads the model with `read`.
   */
  allRows?: boolean | undefined;
}

export interface OrderedRead {
  /** Every model row's key and hash, ordered by the key's canonical text (as UTF-8 bytes). */
  chunks: AsyncIterable<DigestChunk>;
  /**
   * After `chunks`: the rows (`columns`, canonical values, as `read` gives them) whose canonical
   * key is one of `keys`, in any order, from the same state of the model as `chunks`.
   */
  rows(keys: Iterable<readonly string[]>): AsyncIterable<CanonicalRow[]>;
  /**
   * Optional: after `chunks`, every row of the model (`columns`, canonical values, as `read`
   * gives them), in any order, from the same state of the model as `chunks`. A first sync
   * (an empty snapshot) then sends the rows as they stream by, its duplicate keys already
   * known from `chunks`, instead of staging every row first.
   */
  allRows?(): AsyncIterable<CanonicalRow[]>;
  /**
   * Optional, with `allRows`: the same rows as texts the warehouse renders, so the engine
   * neither decodes nor serialises their values (a first sync's hot path). `fields`: the mapped
   * fields, [destination field, model column], in the order they appear in their canonical
   * JSON. Returns undefined, before any query, when a column's type has no canonical JSON here;
   * the engine then reads `allRows`.
   */
  allRowTexts?(fields: ReadonlyArray<readonly [string, string]>): AsyncIterable<RowTexts> | undefined;
  /** Ends the read (and its transaction); called once, also after an error. */
  close(): Promise<void>;
}

/**
 * A page of rows as texts (OrderedRead.allRowTexts), column-wise: entry `i` of `keys`,
 * `fields` and `keyValues` is one row's. Each text is exactly what the engine would make of the
 * row's canonical values; rows the source cannot render exactly come in `rows` instead.
 */
export interface RowTexts {
  /** The key text, as DigestChunk.key gives it; null when the key or a part of it is null. */
  keys: ReadonlyArray<string | null>;
  /** The canonical JSON of the mapped fields, `{"<field>":<value>,…}`: what is hashed and sent. */
  fields: ReadonlyArray<string>;
  /** The canonical JSON of the primary key's columns, `{"<column>":<value>,…}`. */
  keyValues: ReadonlyArray<string>;
  /** The page's other rows (`columns`, canonical values, as `allRows` gives them). */
  rows: ReadonlyArray<CanonicalRow>;
}

export interface DigestChunk {
  readonly length: number;
  /** Row `index`'s primary key columns, as canonical values. */
  keyRow(index: number): CanonicalRow;
  /**
   * Optional: row `index`'s key text exactly as `keyOf` makes it from `keyRow` (the
   * canonical value of a one-column key, the JSON array of a composite key's values),
   * undefined when the key or a part of it is null or empty. Saves building a row per key.
   */
  key?(index: number): string | undefined;
  /**
   * Whether `hash` is row `index`'s hash: md5 (base64url) of the canonical JSON of its mapped
   * fields, `{"<field>":<value>,…}` in `fields` order. It must never answer true for a row
   * whose canonical JSON differs; it may answer false when unsure (the engine then fetches
   * and hashes the row itself), which costs time, not correctness.
   */
  hashIs(index: number, hash: string): boolean;
  /**
   * Optional: `hashIs` for the 22-character hash at `at` in `text` (the engine's snapshot page),
   * with the same answers. Saves the engine a string per row.
   */
  hashAt?(index: number, text: string, at: number): boolean;
}
