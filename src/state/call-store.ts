import type Database from "better-sqlite3";

/** One call to a destination, as the API inspector keeps it (already stripped of secrets). */
export interface DestinationCallRow {
  destination: string;
  /** Epoch milliseconds when the call started. */
  at: number;
  method: string;
  url: string;
  status: number | null;
  ms: number;
  requestBytes: number;
  responseBytes: number;
  runId: string | null;
  batch: number | null;
  /** Why the call failed, when it got no answer or the write threw. */
  error: string | null;
  requestBody: string | null;
  responseBody: string | null;
}

const COLUMNS = `destination, at, method, url, status, ms, request_bytes AS requestBytes, response_bytes AS responseBytes,
  run_id AS runId, batch, error, request_body AS requestBody, response_body AS responseBody`;

/**
 * The API inspector's call log: the last `keep` calls per destination in a small capped table
 * (the CLI reads it from another process). Each insert drops what falls past the cap, so the
 * table never holds more than `keep` rows per destination.
 */
export class CallStore {
  private readonly insert: Database.Statement;
  private readonly trim: Database.Statement;
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    this.insert = db.prepare(
      `INSERT INTO destination_calls (destination, at, method, url, status, ms, request_bytes, response_bytes, run_id,
         batch, error, request_body, response_body)
       VALUES (@destination, @at, @method, @url, @status, @ms, @requestBytes, @responseBytes, @runId, @batch, @error,
         @requestBody, @responseBody)`,
    );
    this.trim = db.prepare(
      `DELETE FROM destination_calls WHERE destination = ? AND id <= (
         SELECT id FROM destination_calls WHERE destination = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
  }

  /** Inside the caller's transaction. */
  append(call: DestinationCallRow, keep: number): void {
    this.insert.run(call);
    this.trim.run(call.destination, call.destination, keep);
  }

  record(call: DestinationCallRow, keep: number): void {
    this.db.transaction(() => this.append(call, keep))();
  }

  /** The destination's last calls, newest first. */
  last(destination: string, limit: number): DestinationCallRow[] {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM destination_calls WHERE destination = ? ORDER BY id DESC LIMIT ?`)
      .all(destination, limit) as DestinationCallRow[];
  }
}
