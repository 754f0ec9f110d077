import { FIELD, ROW, type SnapshotPage } from "./snapshot-pages.ts";

/** Raised when a stream the ordered merge relies on is not in key order. */
export class OrderViolation extends Error {
  constructor(where: string) {
    super(`${where} is not in key order`);
  }
}

/**
 * A sync's snapshot (key and hash) in key order, one entry at a time, over pages from
 * SnapshotPages (read here or by a worker thread, see snapshot-reader.ts).
 */
export class SnapshotCursor {
  key: string | undefined;
  hash = "";
  private text = "";
  private at = 0;
  private rows: Array<[string, string]> | undefined;
  private readonly pages: () => SnapshotPage | undefined;

  constructor(pages: () => SnapshotPage | undefined) {
    this.pages = pages;
    this.advance();
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
        [this.key, this.hash] = row;
        return true;
      }
      this.rows = undefined;
    } else if (this.at < this.text.length) {
      const field = this.text.indexOf(FIELD, this.at);
      let end = this.text.indexOf(ROW, field);
      if (end < 0) end = this.text.length;
      this.hash = this.text.slice(this.at, field);
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
