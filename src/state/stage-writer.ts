import type Database from "better-sqlite3";
import type { StagingArea } from "./staging-area.ts";

/** A staged row: key, change, hash, fields JSON, key values JSON, remote id. */
export type StageRow = [string, string, string | null, string | null, string | null, string | null];

const BATCH = 50;

/**
 * Writes delta rows (the warehouse diff's) into a run's staging table with multi-row INSERTs (50 rows per statement,
 * about a third faster than one statement per row). Same rule as the local planner: a key
 * staged twice becomes invalid, and `dup` counts its extra rows — SQLite applies the upsert
 * row by row, so repeats inside one statement count too. Call inside a transaction.
 */
export class StageWriter {
  private readonly one: Database.Statement;
  private readonly many: Database.Statement;
  private buffer: Array<string | null> = [];

  constructor(staging: StagingArea) {
    const { db, table } = staging;
    const sql = (rows: number) =>
      `INSERT INTO ${table} (key, change, hash, fields, key_values, remote_id) VALUES ${Array(rows).fill("(?, ?, ?, ?, ?, ?)").join(", ")}
       ON CONFLICT(key) DO UPDATE SET dup = dup + 1, change = 'invalid', fields = NULL, key_values = NULL`;
    this.one = db.prepare(sql(1));
    this.many = db.prepare(sql(BATCH));
  }

  add(row: StageRow): void {
    this.buffer.push(...row);
    if (this.buffer.length === BATCH * 6) {
      this.many.run(this.buffer);
      this.buffer = [];
    }
  }

  flush(): void {
    for (let i = 0; i < this.buffer.length; i += 6) this.one.run(this.buffer.slice(i, i + 6));
    this.buffer = [];
  }
}
