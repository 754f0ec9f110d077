/** Every default value Syncline uses, in one place. */
export const DEFAULTS = {
  configFile: "syncline.yaml",
  statePath: ".syncline/state.db",
  port: 8080,
  /** Every interface: the service runs in a container or pod, reached through its network. */
  host: "0.0.0.0",
  logLevel: "info",
  /** Commands other than `serve` log only warnings unless asked, so their own output stays readable. */
  commandLogLevel: "warn",
  mode: "upsert",
  /**
   * Syncs check their mapping against the destination's fields (when it can describe them) and
   * coerce values to the fields' types, rejecting unsent what cannot be coerced.
   */
  validateMapping: true,
  /** A sequence stops at its first failed member unless `onFailure: continue`. */
  sequenceOnFailure: "stop",
  /** A running sequence run writes a heartbeat this often, so other processes see it is alive. */
  sequenceHeartbeatMs: 10_000,
  /** A member whose sync another process is running checks this often whether that run ended. */
  sequenceBusyPollMs: 1_000,
  /** Per sync: every changed record carries every mapped field, and a null clears the destination's value. */
  sendChangedFieldsOnly: false,
  nulls: "send",
  /** Mirror mode refuses to delete more than this share of what it delivered, unless forced. */
  deleteGuard: { maxPercent: 20, minRecords: 10 },
  sink: {
    maxAttempts: 5,
    baseBackoffMs: 500,
    maxBackoffMs: 30_000,
    /**
     * A run's wait budget (a sync's `maxWaitMs` overrides it): rate-limit and quota waits do not
     * use attempts, but once a run has been held this long in total (all its batches together),
     * it stops sending and leaves the rest for the next run.
     */
    maxRateLimitWaitMs: 15 * 60_000,
    /** Waits at least this long are logged and shown in the run's progress (API, CLI, metrics). */
    reportWaitMs: 2_000,
    concurrency: 4,
    timeoutMs: 30_000,
  },
  /**
   * SQLite's page cache for the state file, in KiB. The operating system caches the file too;
   * SQLite's own cache only saves a copy per page read. 32 MB cost 28 MB of resident memory on
   * the 10M-row runs and bought no measurable speed (bench/delta, 1M-row first runs: medians
   * within noise).
   */
  stateCacheKib: 4096,
  /**
   * Pages the state file's write-ahead log grows to before a commit copies them into the file
   * (SQLite's default is 1,000). Each batch commit writes every page it changed; with keys in
   * random order (UUIDs, emails) that is a page per record, and a checkpoint after nearly every
   * commit copied each of them again. At 16,384 pages (64 MB of log) a page changed by several
   * commits is copied once (BENCHMARKS.md, levers).
   */
  stateWalPages: 16_384,
  /** Rows read from the source per chunk and rows paged from staging per send. */
  chunkRows: 2048,
  /** How many invalid rows a run keeps as examples. */
  invalidSamples: 20,
  /** `syncline failures`, `history` and `calls` list this many rows unless `--limit` says otherwise. */
  cliListLimit: 100,
  /** `syncline check` gives its connection checks this long, all together. */
  checkTimeoutMs: 60_000,
  /** `syncline health` waits this long for /healthz (a container's HEALTHCHECK runs it every few seconds). */
  healthTimeoutMs: 2_500,
  server: {
    bodyLimitBytes: 64 * 1024,
    /** API list pages: rows per page unless `limit` says otherwise, and at most. */
    pageDefault: 50,
    pageMax: 500,
    /** A 429 or 503 tells the client to come back after this long when the cause names no time. */
    retryAfterMs: 30_000,
    waitMaxMs: 5 * 60_000,
    /**
     * How long batches in flight get to finish and commit after SIGTERM; what is still in flight
     * then is aborted, which loses nothing (the records are in doubt and sent again by the next
     * run). The whole shutdown then takes at most about one second more (held responses, idle
     * connections, the state file), so the default stays inside Docker's default 10 s stop
     * timeout, before its SIGKILL; compose also waits 10 s and Kubernetes 30 s. A batch call
     * takes a few seconds even to the slowest batch APIs; raise this with the stop timeout.
     */
    shutdownGraceMs: 7_000,
    /**
     * Connections still open this long after the engine has closed are cut. By then every run
     * has ended and every held `wait` has its answer, so this only bounds a slow client; it
     * counts in the stop time that shutdownGraceMs keeps under Docker's 10 s.
     */
    drainConnectionsMs: 1_000,
    /**
     * The service gives back V8's young generation and free heap pages once no run has been
     * active for this long (src/server/rest-compaction.ts): a sidecar spends most of its life idle.
     */
    compactAtRestMs: 1_000,
    /**
     * The metrics are built at the first scrape (src/server/lazy-metrics.ts); until then the
     * events they count are kept, and this many kept builds them without a scrape.
     */
    metricsPendingMax: 10_000,
    maxQueued: 100,
    hmacToleranceMs: 5 * 60_000,
    /** Listening beyond loopback needs tokens (and an HMAC secret) at least this long... */
    minExposedSecretLength: 24,
    /** ...and none that contains one of these: the marks of example tokens in docs and quick starts. */
    exampleSecretMarks: ["change-me", "changeme", "example", "quickstart"],
  },
  /** `diff: warehouse` (docs/warehouse-diff.md). */
  diff: {
    /** The schema (dataset) Syncline manages in the warehouse when none is named. */
    schema: "syncline",
  },
  /** Warehouse sync logs (docs/sync-logs.md). */
  syncLogs: {
    /** The schema (dataset) of sync_runs, sync_changelog and sync_snapshot when none is named. */
    schema: "syncline",
  },
  alerts: {
    /** How often time-based rules (stale, slow_run, ledger_age) are checked under `serve`. */
    evaluateEveryMs: 60_000,
    /** Per attempt, and attempts within one delivery (retried with exponential backoff and jitter). */
    timeoutMs: 10_000,
    retries: 4,
    backoffLimitMs: 10_000,
    /** A delivery that still failed waits in the outbox, from 1 minute doubling to 1 hour... */
    redeliverMinMs: 60_000,
    redeliverMaxMs: 60 * 60_000,
    /** ...and is dropped (logged as an error) once this old. */
    maxAgeMs: 24 * 60 * 60_000,
    /** `syncline run` waits this long for its notifications before exiting (they stay queued if not sent). */
    flushTimeoutMs: 15_000,
    /** `serve` delivers for up to this long while shutting down (beside draining connections). */
    shutdownFlushMs: 5_000,
    /** Error messages and reasons in a notification are cut to this many characters. */
    reasonMaxChars: 1500,
    severity: "error",
    pagerdutyUrl: "https://events.pagerduty.com/v2/enqueue",
  },
  /** The record changelog (src/state/changelog-store.ts). */
  changelog: {
    /** Per sync: the changelog is kept, without the values sent unless the sync opts in. */
    enabled: true,
    values: false,
    retentionDays: 30,
    /** Rows deleted per statement when pruning: each holds the write lock for a few milliseconds. */
    pruneChunk: 2000,
    /** How often `serve` prunes (it also prunes after each run). */
    pruneEveryMs: 60 * 60_000,
    /**
     * Rows a run's end adds to the index by record per transaction (src/state/changelog-index.ts):
     * each holds the write lock while it sorts and inserts, well under the busy timeout.
     */
    indexChunk: 100_000,
  },
  /** The API inspector: the last calls to each destination. */
  inspector: { calls: 100, bodies: false },
  console: {
    enabled: true,
    /** A console session ends after this long without a request (sliding)… */
    sessionMinutes: 60,
    /** …and in any case this long after signing in. */
    sessionMaxMs: 12 * 60 * 60_000,
  },
} as const;
