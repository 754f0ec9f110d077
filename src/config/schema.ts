import * as v from "valibot";
import { alertsSchema } from "./alerts-schema.ts";

const name = v.pipe(
  v.string(),
  v.regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    "must be 1–64 letters, digits, '_' or '-', starting with a letter or digit",
  ),
);

/** `type` plus the plugin's own options, which the plugin's schema checks afterwards. */
const connector = v.looseObject({ type: v.string() });

const schemaName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "must be letters, digits or '_', starting with a letter or '_'"),
);

/** Warehouse sync logs (docs/sync-logs.md): `true`, `{ schema: <name> }`, or `false` on a sync to opt out. */
export const syncLogsSchema = v.union(
  [v.boolean(), v.strictObject({ schema: v.optional(schemaName) })],
  "must be true, false or { schema: <name> }",
);

/** A source: its plugin's options, and Syncline's own `syncLogs` for all of its syncs. */
const sourceConnector = v.looseObject({ type: v.string(), syncLogs: v.optional(syncLogsSchema) });

const model = v.union(
  [
    v.strictObject({ sql: v.pipe(v.string(), v.nonEmpty()) }),
    v.strictObject({ table: v.pipe(v.string(), v.nonEmpty()) }),
    v.strictObject({ dbt: v.pipe(v.string(), v.nonEmpty()), manifest: v.optional(v.string()) }),
  ],
  "must be one of { sql: <query> }, { table: <name> } or { dbt: <model>, manifest: <path> }",
);

const deleteGuard = v.strictObject({
  maxPercent: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
  maxCount: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

const diffMode = v.picklist(["local", "warehouse"], 'must be "local" or "warehouse"');
const diff = v.union(
  [
    diffMode,
    v.strictObject({
      mode: diffMode,
      schema: v.optional(schemaName),
    }),
  ],
  'must be "local", "warehouse" or { mode: warehouse, schema: <name> }',
);

const retentionDays = v.pipe(
  v.number("must be a number of days"),
  v.integer("must be a whole number of days"),
  v.minValue(1, "must be at least 1 day"),
  v.maxValue(3650, "must be at most 3650 days"),
);

/** A sync's record changelog: `false` turns it off; `values: true` keeps the mapped fields sent. */
const syncChangelog = v.union(
  [v.boolean(), v.strictObject({ enabled: v.optional(v.boolean()), values: v.optional(v.boolean()) })],
  "must be true, false or { enabled: <boolean>, values: <boolean> }",
);

export const syncSchema = v.strictObject({
  source: name,
  model,
  primaryKey: v.union(
    [v.pipe(v.string(), v.nonEmpty()), v.pipe(v.array(v.pipe(v.string(), v.nonEmpty())), v.minLength(1))],
    "must be a column name or a list of column names",
  ),
  destination: name,
  object: v.pipe(v.string(), v.nonEmpty()),
  mode: v.optional(
    v.picklist(["upsert", "update", "insert", "mirror"], 'must be "upsert", "update", "insert" or "mirror"'),
  ),
  mapping: v.pipe(
    v.record(v.string(), v.pipe(v.string(), v.nonEmpty())),
    v.check((mapping) => Object.keys(mapping).length > 0, "must map at least one destination field to a column"),
  ),
  schedule: v.optional(v.string()),
  options: v.optional(v.record(v.string(), v.unknown())),
  deleteGuard: v.optional(deleteGuard),
  batchSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** How long a run may be held for rate limits, quotas and retries in total before it leaves the rest for the next run. */
  maxWaitMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** Where the diff is computed (docs/warehouse-diff.md). */
  diff: v.optional(diff),
  /** A changed record carries only the fields changed since its last delivery (docs/field-deltas.md). */
  sendChangedFieldsOnly: v.optional(v.boolean()),
  /** Whether a null in the model clears the destination's value (send) or leaves it (skip). */
  nulls: v.optional(v.picklist(["send", "skip"], 'must be "send" or "skip"')),
  /** Check the mapping against the destination's fields and coerce values to their types (default true). */
  validateMapping: v.optional(v.boolean()),
  /** Load each run's logs into the source's warehouse (docs/sync-logs.md); overrides the source's. */
  syncLogs: v.optional(syncLogsSchema),
  /** The record changelog for this sync (docs/service.md). */
  changelog: v.optional(syncChangelog),
});

/** An ordered list of syncs run as one (src/engine/ordering/sequencer.ts). */
export const sequenceSchema = v.strictObject({
  syncs: v.pipe(v.array(name), v.minLength(1, "must list at least one sync")),
  onFailure: v.optional(v.picklist(["stop", "continue"], 'must be "stop" or "continue"')),
  schedule: v.optional(v.string()),
});

export const logLevels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

export const configSchema = v.strictObject({
  version: v.optional(v.literal(1)),
  state: v.optional(v.union([v.string(), v.strictObject({ path: v.string() })])),
  plugins: v.optional(v.array(v.string())),
  sources: v.record(name, sourceConnector),
  destinations: v.record(name, connector),
  syncs: v.record(name, syncSchema),
  sequences: v.optional(v.record(name, sequenceSchema)),
  server: v.optional(
    v.strictObject({
      port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535))),
      host: v.optional(v.string()),
      tokens: v.optional(v.array(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters")))),
      hmacSecret: v.optional(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"))),
      shutdownGraceMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      /** Where users reach this service (links in alerts), for example https://syncline.example.com. */
      publicUrl: v.optional(
        v.pipe(v.string(), v.url("must be an absolute URL, for example https://syncline.example.com")),
      ),
      /** The operator console at /ui: `false` turns it off. */
      console: v.optional(
        v.union(
          [
            v.boolean(),
            v.strictObject({
              enabled: v.optional(v.boolean()),
              sessionMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7 * 24 * 60))),
            }),
          ],
          "must be true, false or { enabled: <boolean>, sessionMinutes: <minutes> }",
        ),
      ),
    }),
  ),
  /** Notifications when runs fail, slow down or go stale (src/alerts). */
  alerts: v.optional(alertsSchema),
  /** The record changelog: how long rows are kept. */
  changelog: v.optional(v.strictObject({ retentionDays: v.optional(retentionDays) })),
  /** The API inspector: the last calls to each destination. */
  inspector: v.optional(
    v.strictObject({
      calls: v.optional(
        v.pipe(
          v.number("must be a number of calls"),
          v.integer("must be a whole number"),
          v.minValue(0, "must be 0 (off) or more"),
          v.maxValue(10_000, "must be at most 10000"),
        ),
      ),
      bodies: v.optional(v.boolean()),
    }),
  ),
  logLevel: v.optional(v.picklist(logLevels)),
});

export type RawConfig = v.InferOutput<typeof configSchema>;
export type SyncConfig = v.InferOutput<typeof syncSchema>;
export type SequenceConfig = v.InferOutput<typeof sequenceSchema>;
