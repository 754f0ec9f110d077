import * as v from "valibot";
import { DEFAULTS } from "../config/defaults.ts";

/**
 * The API's shapes, once: request schemas validate what comes in (and coerce query strings),
 * response schemas describe what goes out; both feed /openapi.json, and the tests check real
 * responses against the response schemas.
 */

export const SYNC_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const RUN_ID = /^run_[a-z0-9]{1,64}$/;
export const WAIT_MAX_SECONDS = Math.floor(DEFAULTS.server.waitMaxMs / 1000);
export const PAGE_MAX = DEFAULTS.server.pageMax;
export const PAGE_DEFAULT = DEFAULTS.server.pageDefault;
export const RUN_STATUSES = [
  "queued",
  "running",
  "succeeded",
  "partial",
  "failed",
  "interrupted",
  "cancelled",
] as const;

// ---- requests ----

export const syncPath = v.object({
  sync: v.pipe(
    v.string(),
    v.regex(SYNC_NAME, "must be 1–64 letters, digits, '_' or '-', starting with a letter or digit"),
    v.description("The sync's name, as in the config"),
  ),
});

export const runPath = v.object({
  id: v.pipe(v.string(), v.regex(RUN_ID, "must be a run id such as run_mx1a2b3c4d5e6f"), v.description("The run's id")),
});

const flag = (description: string) =>
  v.pipe(
    v.picklist(["", "true", "false", "1", "0"], 'must be "true" or "false"'),
    v.description(description),
    v.transform((text) => text === "" || text === "true" || text === "1"),
  );

const FULL_RESYNC = "Reset the snapshot and send every record again (nothing is deleted)";
const FORCE_DELETES = "Let a mirror run delete more than its delete guard allows";
export const WAIT = `Hold the response until the run ends, up to ${WAIT_MAX_SECONDS} s (true = the maximum, or a number of seconds)`;

/** Seconds to wait, from `true`, `false` or a number; `undefined` means do not wait. */
export function waitMs(wait: boolean | number | undefined): number {
  if (wait === undefined || wait === false) return 0;
  const seconds = wait === true ? WAIT_MAX_SECONDS : Math.min(wait, WAIT_MAX_SECONDS);
  return seconds * 1000;
}

export const triggerQuery = v.strictObject({
  fullResync: v.optional(flag(FULL_RESYNC)),
  forceDeletes: v.optional(flag(FORCE_DELETES)),
  wait: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^(|true|false|\d{1,6})$/, 'must be "true", "false" or a number of seconds'),
      v.description(WAIT),
      v.transform((text): boolean | number =>
        text === "" || text === "true" ? true : text === "false" ? false : Number(text),
      ),
    ),
  ),
});

export const triggerBody = v.strictObject({
  fullResync: v.optional(v.pipe(v.boolean(), v.description(FULL_RESYNC))),
  forceDeletes: v.optional(v.pipe(v.boolean(), v.description(FORCE_DELETES))),
  wait: v.optional(
    v.pipe(
      v.union(
        [v.boolean(), v.pipe(v.number(), v.integer(), v.minValue(0))],
        "must be true, false or a number of seconds",
      ),
      v.description(WAIT),
    ),
  ),
});

export const idempotencyKey = v.pipe(
  v.string(),
  v.regex(/^[\x21-\x7e]{1,255}$/, "must be 1–255 visible ASCII characters"),
  v.description("A retried trigger with the same key returns the same run instead of starting another"),
);

const limit = v.pipe(
  v.string(),
  v.regex(/^\d{1,6}$/, `must be a whole number from 1 to ${PAGE_MAX}`),
  v.description(`Page size, 1 to ${PAGE_MAX} (default ${PAGE_DEFAULT})`),
  v.transform(Number),
  v.minValue(1, `must be a whole number from 1 to ${PAGE_MAX}`),
  v.maxValue(PAGE_MAX, `must be a whole number from 1 to ${PAGE_MAX}`),
);
const cursor = v.pipe(v.string(), v.maxLength(1400), v.description("The `next` value of the previous page"));

export const runsQuery = v.strictObject({ limit: v.optional(limit), cursor: v.optional(cursor) });

export const failuresQuery = v.strictObject({
  limit: v.optional(limit),
  cursor: v.optional(cursor),
  format: v.optional(
    v.pipe(
      v.picklist(["json", "csv"], 'must be "json" or "csv"'),
      v.description("csv: the whole ledger as CSV (same as Accept: text/csv)"),
    ),
  ),
});

// ---- responses ----

export const timestamp = v.pipe(v.string(), v.isoTimestamp());
const split = v.object({ added: v.number(), changed: v.number(), removed: v.number() });

export const countsSchema = v.object({
  rowsRead: v.number(),
  unchanged: v.number(),
  invalid: v.number(),
  planned: split,
  succeeded: split,
  failed: split,
});

export const runSchema = v.object({
  id: v.string(),
  sync: v.string(),
  status: v.picklist(RUN_STATUSES),
  trigger: v.pipe(v.string(), v.description("api, webhook, schedule, startup or cli")),
  options: v.object({ fullResync: v.boolean(), forceDeletes: v.boolean() }),
  createdAt: timestamp,
  startedAt: v.nullable(timestamp),
  finishedAt: v.nullable(timestamp),
  durationMs: v.nullable(v.number()),
  counts: v.nullable(countsSchema),
  invalid: v.object({
    count: v.number(),
    samples: v.array(v.object({ key: v.nullable(v.string()), reason: v.string() })),
  }),
  error: v.nullable(v.object({ code: v.string(), message: v.string() })),
  waiting: v.pipe(
    v.nullable(
      v.object({
        cause: v.picklist(["rate_limit", "quota", "retry"]),
        destination: v.string(),
        message: v.pipe(v.string(), v.description("Why, in the destination's words")),
        since: timestamp,
        until: timestamp,
      }),
    ),
    v.description("While a running run's calls are held for 2 s or more: by what, and until when"),
  ),
  links: v.object({ self: v.string(), cancel: v.string(), sync: v.string(), failures: v.string() }),
});

export const triggerResponse = v.object({
  ...runSchema.entries,
  coalesced: v.pipe(v.boolean(), v.description("true when this trigger joined a run already queued or known")),
  replayed: v.pipe(v.boolean(), v.description("true when the Idempotency-Key matched an earlier trigger")),
});

export const runPage = v.object({ runs: v.array(runSchema), next: v.nullable(v.string()) });

const endpoint = v.object({ name: v.string(), type: v.string() });

export const syncSummary = v.object({
  name: v.string(),
  source: endpoint,
  destination: endpoint,
  object: v.string(),
  mode: v.string(),
  schedule: v.nullable(v.string()),
  nextRunAt: v.nullable(timestamp),
  ledgerSize: v.pipe(v.number(), v.description("Records in the retry ledger (failed, retried on every run)")),
  lastRun: v.nullable(runSchema),
  links: v.object({ self: v.string(), runs: v.string(), failures: v.string() }),
});

export const syncDetail = v.object({
  ...syncSummary.entries,
  config: v.pipe(v.record(v.string(), v.unknown()), v.description("The sync's configuration, without secrets")),
});

export const syncList = v.object({ syncs: v.array(syncSummary) });

export const failureSchema = v.object({
  key: v.string(),
  operation: v.string(),
  change: v.string(),
  attempts: v.number(),
  errorClass: v.string(),
  errorCode: v.string(),
  reason: v.pipe(v.string(), v.description("The destination's reason")),
  firstFailedAt: timestamp,
  lastFailedAt: timestamp,
  lastRunId: v.string(),
});

export const failurePage = v.object({
  sync: v.string(),
  total: v.number(),
  failures: v.array(failureSchema),
  next: v.nullable(v.string()),
});

export const errorSchema = v.object({
  error: v.object({ code: v.string(), message: v.string(), field: v.optional(v.string()) }),
});

export const healthSchema = v.object({
  status: v.string(),
  checks: v.optional(v.record(v.string(), v.boolean())),
});

export type RunView = v.InferOutput<typeof runSchema>;
export type SyncSummary = v.InferOutput<typeof syncSummary>;
export type FailureView = v.InferOutput<typeof failureSchema>;
