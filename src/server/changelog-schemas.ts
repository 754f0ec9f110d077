import * as v from "valibot";
import { PAGE_DEFAULT, PAGE_MAX } from "./schemas.ts";

/** The record changelog's and the API inspector's request and response shapes (see schemas.ts). */

export const KEY_MAX_CHARS = 4096;

export const recordPath = v.object({
  key: v.pipe(
    v.string(),
    v.minLength(1, "must not be empty"),
    v.maxLength(KEY_MAX_CHARS, `must be at most ${KEY_MAX_CHARS} characters`),
    v.description(
      "The record's key as Syncline stores it, URL-encoded: the value for a one-column key, a JSON array for a composite key",
    ),
  ),
});

export const destinationPath = v.object({
  name: v.pipe(
    v.string(),
    v.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be a destination name from the config"),
    v.description("The destination's name, as in the config"),
  ),
});

const limit = v.pipe(
  v.string(),
  v.regex(/^\d{1,6}$/, `must be a whole number from 1 to ${PAGE_MAX}`),
  v.description(`Page size, 1 to ${PAGE_MAX} (default ${PAGE_DEFAULT})`),
  v.transform(Number),
  v.minValue(1, `must be a whole number from 1 to ${PAGE_MAX}`),
  v.maxValue(PAGE_MAX, `must be a whole number from 1 to ${PAGE_MAX}`),
);
const cursor = v.pipe(v.string(), v.maxLength(100), v.description("The `next` value of the previous page"));
const outcome = v.picklist(["ok", "retry", "reject"], 'must be "ok", "retry" or "reject"');

export const recordHistoryQuery = v.strictObject({ limit: v.optional(limit), cursor: v.optional(cursor) });

export const runRecordsQuery = v.strictObject({
  outcome: v.optional(v.pipe(outcome, v.description("Only the records with this outcome"))),
  limit: v.optional(limit),
  cursor: v.optional(cursor),
  format: v.optional(
    v.pipe(
      v.picklist(["json", "csv"], 'must be "json" or "csv"'),
      v.description("csv: every matching row as CSV (same as Accept: text/csv)"),
    ),
  ),
});

export const callsQuery = v.strictObject({ limit: v.optional(limit) });

const timestamp = v.pipe(v.string(), v.isoTimestamp());

export const changelogEntrySchema = v.object({
  runId: v.string(),
  sync: v.string(),
  key: v.string(),
  operation: v.picklist(["add", "change", "remove"]),
  outcome: outcome,
  code: v.nullable(v.string()),
  reason: v.pipe(v.nullable(v.string()), v.description("The destination's reason, redacted, cut to 1 KB")),
  remoteId: v.nullable(v.string()),
  attempts: v.pipe(v.number(), v.description("Calls that carried the record in this run")),
  at: timestamp,
  values: v.optional(
    v.pipe(v.unknown(), v.description("The mapped fields sent, redacted: only for syncs with changelog.values")),
  ),
});

export const recordHistory = v.object({
  sync: v.string(),
  key: v.string(),
  history: v.array(changelogEntrySchema),
  next: v.nullable(v.string()),
});

export const runRecordsPage = v.object({
  runId: v.string(),
  records: v.array(changelogEntrySchema),
  next: v.nullable(v.string()),
});

export const callSchema = v.object({
  at: timestamp,
  method: v.string(),
  url: v.pipe(v.string(), v.description("Without user info; secret query values and configured secrets masked")),
  status: v.pipe(v.nullable(v.number()), v.description("null: no HTTP answer, or a non-HTTP destination")),
  ms: v.number(),
  requestBytes: v.number(),
  responseBytes: v.number(),
  runId: v.nullable(v.string()),
  batch: v.nullable(v.number()),
  error: v.nullable(v.string()),
  requestBody: v.optional(v.string()),
  responseBody: v.optional(v.string()),
});

export const callList = v.object({ destination: v.string(), calls: v.array(callSchema) });

export type ChangelogEntryView = v.InferOutput<typeof changelogEntrySchema>;
export type CallView = v.InferOutput<typeof callSchema>;
