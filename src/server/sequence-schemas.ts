import * as v from "valibot";
import { RUN_STATUSES, runSchema, SYNC_NAME, timestamp, WAIT } from "./schemas.ts";

/** The API's shapes for sequences (see schemas.ts for the syncs'). */

export const SEQUENCE_RUN_ID = /^seq_[a-z0-9]{1,64}$/;
export const SEQUENCE_STATUS_VALUES = [
  "running",
  "succeeded",
  "partial",
  "failed",
  "interrupted",
  "cancelled",
] as const;

export const sequencePath = v.object({
  name: v.pipe(
    v.string(),
    v.regex(SYNC_NAME, "must be 1–64 letters, digits, '_' or '-', starting with a letter or digit"),
    v.description("The sequence's name, as in the config"),
  ),
});

export const sequenceRunPath = v.object({
  ...sequencePath.entries,
  id: v.pipe(
    v.string(),
    v.regex(SEQUENCE_RUN_ID, "must be a sequence run id such as seq_mx1a2b3c4d5e6f"),
    v.description("The sequence run's id"),
  ),
});

const waitQuery = v.pipe(
  v.string(),
  v.regex(/^(|true|false|\d{1,6})$/, 'must be "true", "false" or a number of seconds'),
  v.description(WAIT.replace("the run ends", "the sequence ends")),
  v.transform((text): boolean | number =>
    text === "" || text === "true" ? true : text === "false" ? false : Number(text),
  ),
);

export const sequenceTriggerQuery = v.strictObject({ wait: v.optional(waitQuery) });

export const sequenceTriggerBody = v.strictObject({
  wait: v.optional(
    v.pipe(
      v.union(
        [v.boolean(), v.pipe(v.number(), v.integer(), v.minValue(0))],
        "must be true, false or a number of seconds",
      ),
      v.description(WAIT.replace("the run ends", "the sequence ends")),
    ),
  ),
});

export const memberSchema = v.object({
  sync: v.string(),
  status: v.pipe(
    v.picklist([...RUN_STATUSES, "pending", "skipped"]),
    v.description("The member's run status; pending: not reached yet; skipped: the sequence ended before it"),
  ),
  run: v.nullable(runSchema),
});

export const sequenceRunSchema = v.object({
  id: v.string(),
  sequence: v.string(),
  status: v.picklist(SEQUENCE_STATUS_VALUES),
  trigger: v.pipe(v.string(), v.description("api, webhook, schedule or cli")),
  onFailure: v.picklist(["stop", "continue"]),
  createdAt: timestamp,
  finishedAt: v.nullable(timestamp),
  durationMs: v.number(),
  members: v.array(memberSchema),
  error: v.nullable(v.object({ code: v.string(), message: v.string() })),
  links: v.object({ self: v.string(), sequence: v.string() }),
});

export const sequenceTriggerResponse = v.object({
  ...sequenceRunSchema.entries,
  replayed: v.pipe(v.boolean(), v.description("true when the Idempotency-Key matched an earlier trigger")),
});

export const sequenceSummary = v.object({
  name: v.string(),
  syncs: v.array(v.string()),
  onFailure: v.picklist(["stop", "continue"]),
  schedule: v.nullable(v.string()),
  nextRunAt: v.nullable(timestamp),
  lastRun: v.nullable(sequenceRunSchema),
  links: v.object({ self: v.string() }),
});

export const sequenceDetail = v.object({
  ...sequenceSummary.entries,
  recentRuns: v.pipe(v.array(sequenceRunSchema), v.description("The latest runs, newest first")),
});

export const sequenceList = v.object({ sequences: v.array(sequenceSummary) });

export type SequenceRunView = v.InferOutput<typeof sequenceRunSchema>;
export type SequenceSummary = v.InferOutput<typeof sequenceSummary>;
