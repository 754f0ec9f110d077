import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per run of a sync: its status, timings, counts and error. */
export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    sync: text("sync").notNull(),
    status: text("status").notNull(),
    trigger: text("trigger").notNull(),
    options: text("options").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    counts: text("counts"),
    invalid: integer("invalid").notNull().default(0),
    invalidSamples: text("invalid_samples"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    /** The process that runs it: `host:pid:instance`. */
    owner: text("owner"),
    heartbeatAt: integer("heartbeat_at"),
  },
  (table) => [index("runs_sync_created").on(table.sync, table.createdAt), index("runs_status").on(table.status)],
);

/** What the destination holds, as far as Syncline knows: one row per delivered record. */
export const snapshots = sqliteTable(
  "snapshots",
  {
    sync: text("sync").notNull(),
    key: text("key").notNull(),
    /** Hash of the mapped fields last accepted; '' when the last attempt failed (forces a resend). */
    hash: text("hash").notNull(),
    remoteId: text("remote_id"),
    deliveredAt: integer("delivered_at").notNull(),
    /**
     * Syncs with `sendChangedFieldsOnly`: one short hash per mapped field at the last successful
     * delivery (src/engine/delta/field-hashes.ts); a field sent but not confirmed holds a marker that
     * matches nothing. NULL otherwise, and for records never delivered: every field is sent.
     */
    fieldHashes: text("field_hashes"),
    /**
     * 1 when `key` is JSON (src/sdk/key.ts): a composite key, or a single-column key whose value
     * is not a string (the number 42 is stored as the text "42"); 0 when `key` is the value
     * itself. A mirror delete rebuilds the record's key values from it. NULL on rows written
     * before it was kept: read as text.
     */
    keyJson: integer("key_json"),
  },
  (table) => [primaryKey({ columns: [table.sync, table.key] })],
);

/**
 * In-doubt markers of the batches in flight: one row per batch sent, written before its send,
 * holding the keys it adds (src/state/in-doubt-batches.ts). The batch's commit deletes it in the
 * transaction that writes the batch's snapshot rows; a row that outlives its run (the process
 * died) is expanded into in-doubt snapshot rows, one per key, before any reader needs them.
 */
export const inDoubtBatches = sqliteTable("in_doubt_batches", {
  id: integer("id").primaryKey(),
  sync: text("sync").notNull(),
  markedAt: integer("marked_at").notNull(),
  /** JSON array of the keys stored as the value itself (snapshots.key_json 0). */
  textKeys: text("text_keys").notNull(),
  /** JSON array of the keys stored as JSON (snapshots.key_json 1). */
  jsonKeys: text("json_keys").notNull(),
});

/** The retry ledger: records the destination has not accepted yet, with its reason. */
export const ledger = sqliteTable(
  "ledger",
  {
    sync: text("sync").notNull(),
    key: text("key").notNull(),
    operation: text("operation").notNull(),
    change: text("change").notNull(),
    attempts: integer("attempts").notNull(),
    errorClass: text("error_class").notNull(),
    errorCode: text("error_code").notNull(),
    reason: text("reason").notNull(),
    firstFailedAt: integer("first_failed_at").notNull(),
    lastFailedAt: integer("last_failed_at").notNull(),
    nextAttemptAt: integer("next_attempt_at"),
    lastRunId: text("last_run_id").notNull(),
  },
  (table) => [primaryKey({ columns: [table.sync, table.key] })],
);

/** A sync's identity: what its snapshot means. See src/engine/delta/identity.ts. */
export const syncState = sqliteTable("sync_state", {
  sync: text("sync").primaryKey(),
  targetIdentity: text("target_identity").notNull(),
  modelIdentity: text("model_identity").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Every Idempotency-Key a trigger carried, and the one run it maps to (the run it created or
 * joined), for as long as the run is kept. A retried trigger returns that run. A sequence's
 * keys are stored under `sequence:<name>` in `sync` (no sync name holds a colon).
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    sync: text("sync").notNull(),
    key: text("key").notNull(),
    runId: text("run_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.sync, table.key] })],
);

/**
 * Signed triggers already accepted, until their timestamp leaves the replay window: a signature
 * starts at most one trigger, across restarts. Holds a SHA-256 digest of the signature, not the
 * signature itself.
 */
export const usedSignatures = sqliteTable(
  "used_signatures",
  {
    digest: text("digest").primaryKey(),
    runId: text("run_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("used_signatures_expires").on(table.expiresAt)],
);

/**
 * Alert state, one row per (rule, sync): whether it fires, since when. A notification is sent
 * only on a change of status, so this row is what deduplicates across restarts.
 */
export const alerts = sqliteTable(
  "alerts",
  {
    rule: text("rule").notNull(),
    sync: text("sync").notNull(),
    status: text("status").notNull(),
    /** When it started firing (kept once resolved, for the resolve message). */
    firingSince: integer("firing_since").notNull(),
    resolvedAt: integer("resolved_at"),
    /** The run that last changed the status, if a run did. */
    runId: text("run_id"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.rule, table.sync] })],
);

/**
 * Notifications not yet accepted by their channel (an outbox): written in the same
 * transaction as the status change, deleted once the channel accepted, so a crash or an
 * unreachable channel loses none and sends none twice. The payload is already redacted.
 */
export const alertOutbox = sqliteTable(
  "alert_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    channel: text("channel").notNull(),
    payload: text("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("alert_outbox_due").on(table.nextAttemptAt)],
);

/**
 * One row per run of a sequence (src/engine/ordering/sequencer.ts): its members' run ids in the
 * sequence's order (null for a member not reached), and the owner's heartbeat so another
 * process sharing the state file sees it is alive, and a restart marks it interrupted.
 */
export const sequenceRuns = sqliteTable(
  "sequence_runs",
  {
    id: text("id").primaryKey(),
    sequence: text("sequence").notNull(),
    status: text("status").notNull(),
    trigger: text("trigger").notNull(),
    onFailure: text("on_failure").notNull(),
    /** JSON: [{ sync, runId }] in order; runId null until the member is triggered. */
    members: text("members").notNull(),
    createdAt: integer("created_at").notNull(),
    finishedAt: integer("finished_at"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    owner: text("owner"),
    heartbeatAt: integer("heartbeat_at"),
  },
  (table) => [
    index("sequence_runs_sequence").on(table.sequence, table.createdAt),
    index("sequence_runs_status").on(table.status),
  ],
);

/**
 * Runs whose warehouse sync logs (docs/sync-logs.md) are not loaded yet: written when the run
 * finishes, deleted once its load committed; a failed load stays here and is retried after the
 * sync's next run.
 */
export const syncLogPending = sqliteTable(
  "sync_log_pending",
  {
    runId: text("run_id").primaryKey(),
    sync: text("sync").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("sync_log_pending_sync").on(table.sync, table.runId)],
);

/**
 * The record changelog: one row per record a run sent, per run (its final outcome in that run,
 * with how many calls carried it). Appended in the batch's commit transaction; pruned by age.
 * Values are kept only for syncs that opt in (`changelog: { values: true }`).
 */
export const changelog = sqliteTable(
  "changelog",
  {
    id: integer("id").primaryKey(),
    runId: text("run_id").notNull(),
    sync: text("sync").notNull(),
    key: text("key").notNull(),
    operation: text("operation").notNull(),
    outcome: text("outcome").notNull(),
    code: text("code"),
    reason: text("reason"),
    remoteId: text("remote_id"),
    attempts: integer("attempts").notNull(),
    at: integer("at").notNull(),
    /** The mapped fields sent (JSON, redacted), only with `changelog: { values: true }`. */
    values: text("values"),
  },
  (table) => [index("changelog_run").on(table.runId, table.id)],
);

/**
 * The record changelog's index by record (`GET /v1/syncs/{sync}/records/{key}`), built off the
 * batch commits: at a run's end, the rows appended since `changelog_index.upto` are inserted
 * here sorted by key (src/engine/ledger/changelog-indexer.ts). An index on the changelog itself
 * took one random B-tree write per record in every batch commit (keys such as emails or UUIDs
 * land on random pages); sorted, a run's keys fill each page once. WITHOUT ROWID in its
 * migration (drizzle cannot declare it): the primary key is the only B-tree.
 */
export const changelogKeys = sqliteTable(
  "changelog_keys",
  {
    sync: text("sync").notNull(),
    key: text("key").notNull(),
    id: integer("id").notNull(),
  },
  (table) => [primaryKey({ columns: [table.sync, table.key, table.id] })],
);

/**
 * One row (id 1): every changelog row with an id up to `upto` is in changelog_keys; the rows
 * after it are read by id (src/state/changelog-store.ts forRecord). Pruning lowers it when it
 * deletes the newest rows, so that ids SQLite hands out again are never taken as indexed.
 */
export const changelogIndex = sqliteTable("changelog_index", {
  id: integer("id").primaryKey(),
  upto: integer("upto").notNull(),
});

/** The API inspector: the last calls to each destination, capped per destination (oldest dropped). */
export const destinationCalls = sqliteTable(
  "destination_calls",
  {
    id: integer("id").primaryKey(),
    destination: text("destination").notNull(),
    at: integer("at").notNull(),
    method: text("method").notNull(),
    /** Without credentials: no user info, secret-looking query values masked, secret values redacted. */
    url: text("url").notNull(),
    status: integer("status"),
    ms: integer("ms").notNull(),
    requestBytes: integer("request_bytes").notNull(),
    responseBytes: integer("response_bytes").notNull(),
    runId: text("run_id"),
    batch: integer("batch"),
    error: text("error"),
    /** Only with `inspector: { bodies: true }`: truncated and redacted. */
    requestBody: text("request_body"),
    responseBody: text("response_body"),
  },
  (table) => [index("destination_calls_destination").on(table.destination, table.id)],
);

/**
 * Warehouse mode's local journal (src/state/journal-store.ts): every key of the current run's
 * delta, written before anything is sent, until the warehouse snapshot has applied it.
 * (The migration creates it WITHOUT ROWID, as the engine once did.)
 */
export const warehousePending = sqliteTable(
  "warehouse_pending",
  {
    sync: text("sync").notNull(),
    key: text("key").notNull(),
  },
  (table) => [primaryKey({ columns: [table.sync, table.key] })],
);

/** Which mode (local or warehouse) last owned each sync's snapshot, and in which managed schema. */
export const warehouseSyncs = sqliteTable("warehouse_syncs", {
  sync: text("sync").primaryKey(),
  location: text("location").notNull(),
  schema: text("schema").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
