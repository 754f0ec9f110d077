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
  console: {
    enabled: true,
    /** A console session ends after this long without a request (sliding)… */
    sessionMinutes: 60,
    /** …and in any case this long after signing in. */
    sessionMaxMs: 12 * 60 * 60_000,
  },
} as const;
