/** Every default value Syncline uses, in one place. */
export const DEFAULTS = {
  configFile: "syncline.yaml",
  statePath: ".syncline/state.db",
  port: 8080,
  mode: "upsert",
  /** Mirror mode refuses to delete more than this share of what it delivered, unless forced. */
  deleteGuard: { maxPercent: 20, minRecords: 10 },
  sink: {
    maxAttempts: 5,
    baseBackoffMs: 500,
    maxBackoffMs: 30_000,
    /** Rate-limit waits do not use attempts, but a run gives up waiting after this long in total. */
    maxRateLimitWaitMs: 15 * 60_000,
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
  /** Rows read from the source per chunk and rows paged from staging per send. */
  chunkRows: 2048,
  /** How many invalid rows a run keeps as examples. */
  invalidSamples: 20,
  server: {
    bodyLimitBytes: 64 * 1024,
    waitMaxMs: 5 * 60_000,
    shutdownGraceMs: 25_000,
    maxQueued: 100,
    hmacToleranceMs: 5 * 60_000,
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
} as const;
