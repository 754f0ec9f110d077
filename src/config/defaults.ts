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
} as const;
