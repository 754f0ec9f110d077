import { createHash } from "node:crypto";
import type Database from "better-sqlite3";

/**
 * What makes a trigger safe to repeat: idempotency keys (each maps to the one run it created or
 * joined) and signatures already used (each may start one trigger, until it expires).
 */
export class TriggerKeys {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** The run an idempotency key maps to, if the key was seen. */
  runForKey(sync: string, key: string): string | undefined {
    const row = this.db.prepare("SELECT run_id FROM idempotency_keys WHERE sync = ? AND key = ?").get(sync, key) as
      | { run_id: string }
      | undefined;
    return row?.run_id;
  }

  rememberKey(sync: string, key: string, runId: string, now = Date.now()): void {
    this.db
      .prepare("INSERT INTO idempotency_keys (sync, key, run_id, created_at) VALUES (?, ?, ?, ?)")
      .run(sync, key, runId, now);
  }

  /** The run a signature already started, while it is still inside its window. */
  runForSignature(signature: string, now = Date.now()): string | undefined {
    const row = this.db
      .prepare("SELECT run_id FROM used_signatures WHERE digest = ? AND expires_at >= ?")
      .get(digest(signature), now) as { run_id: string } | undefined;
    return row?.run_id;
  }

  /** Records a signature as used until `expiresAt`, dropping those whose window has passed. */
  rememberSignature(signature: string, runId: string, expiresAt: number, now = Date.now()): void {
    this.db.prepare("DELETE FROM used_signatures WHERE expires_at < ?").run(now);
    this.db
      .prepare("INSERT OR REPLACE INTO used_signatures (digest, run_id, expires_at) VALUES (?, ?, ?)")
      .run(digest(signature), runId, expiresAt);
  }
}

/** The state file keeps a digest: a signature is not a secret, but there is no need to keep it usable. */
function digest(signature: string): string {
  return createHash("sha256").update(signature).digest("hex");
}
