import type { DigestChunk } from "../../sdk/ordered-read.ts";
import { FIELD, ROW, type SnapshotPage } from "../../state/snapshot-pages.ts";

/** A snapshot hash: md5 in base64url. */
const HASH_LENGTH = 22;

/** Raised when a stream the ordered merge relies on is not in key order. */
export class OrderViolation extends Error {
  constructor(where: string) {
    super(`${where} is not in key order`);
  }
}

/**
 * A sync's snapshot (key and hash) in key order, one entry at a time, over pages from
 * SnapshotPages (read here or by a worker thread, see snapshot-reader.ts). The hash is cut out
 * of its page only when asked for: `matches` compares it in place where the chunk can
 * (DigestChunk.hashAt), which saves a string per entry.
 */
export class SnapshotCursor {
  key: string | undefined;
  private text = "";
  private at = 0;
  private hashStart = 0;
  private hashEnd = 0;
  private rowHash = "";
  private rows: Array<[string, string]> | undefined;
  private readonly pages: () => SnapshotPage | undefined;

  constructor(pages: () => SnapshotPage | undefined) {
    this.pages = pages;
    this.advance();
  }

  /** The current entry's hash ('' when its last delivery is in doubt or failed). */
  get hash(): string {
    return this.rows ? this.rowHash : this.text.slice(this.hashStart, this.hashEnd);
  }

  /** Whether the chunk's row `index` has the current entry's hash. */
  matches(chunk: DigestChunk, index: number): boolean {
    if (this.rows || !chunk.hashAt) return chunk.hashIs(index, this.hash);
    return this.hashEnd - this.hashStart === HASH_LENGTH && chunk.hashAt(index, this.text, this.hashStart);
  }

  /** Moves to the next entry (key undefined at the end). Throws OrderViolation if keys go backwards. */
  advance(): void {
    const previous = this.key;
    if (!this.read()) {
      this.key = undefined;
      return;
    }
    if (previous !== undefined && !(previous < this.key!)) throw new OrderViolation("the snapshot");
  }

  private read(): boolean {
    if (this.rows) {
      const row = this.rows[this.at++];
      if (row) {
        [this.key, this.rowHash] = row;
        return true;
      }
      this.rows = undefined;
    } else if (this.at < this.text.length) {
      const field = this.text.indexOf(FIELD, this.at);
      let end = this.text.indexOf(ROW, field);
      if (end < 0) end = this.text.length;
      this.hashStart = this.at;
      this.hashEnd = field;
      this.key = this.text.slice(field + 1, end);
      this.at = end + 1;
      return true;
    }
    const page = this.pages();
    if (!page) return false;
    this.at = 0;
    this.text = page.text ?? "";
    this.rows = page.rows;
    return this.read();
  }
}
