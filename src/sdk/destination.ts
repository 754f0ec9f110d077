import type { KyInstance } from "ky";
import type * as v from "valibot";
import type { QuotaExhaustedError } from "./errors/quota-exhausted-error.ts";
import type { DiscoveredField } from "./field-types.ts";
import type { Logger } from "./logger.ts";
import type { CanonicalRow } from "./values.ts";

/** The plugin API this host speaks. A plugin built for another major version is refused. */
export const API_VERSION = 1;

export type Operation = "upsert" | "update" | "insert" | "delete";

export interface DestinationRecord {
  /** The record's primary key as one canonical string (composite keys are a JSON array). */
  key: string;
  /** The primary key column(s) and their values. */
  keyValues: CanonicalRow;
  /** Destination field → value, from the sync's mapping. Empty for deletes. */
  fields: CanonicalRow;
  /** The id the destination returned when this record was last delivered, if any. */
  remoteId?: string | undefined;
}

export interface WriteBatch {
  /** The destination object, for example `contacts`. */
  object: string;
  operation: Operation;
  records: DestinationRecord[];
  /** The sync's `options` for this destination, validated by `syncOptions` when declared. */
  options: Record<string, unknown>;
}

export type Outcome =
  | { key: string; status: "ok"; remoteId?: string | undefined }
  | { key: string; status: "retry"; code: string; message: string; retryAfterMs?: number | undefined }
  | { key: string; status: "reject"; code: string; message: string };

export interface RateLimit {
  /** Requests allowed per window, for all syncs sharing this destination account. */
  requests: number;
  windowMs: number;
}

export interface Capabilities {
  operations: readonly Operation[];
  /** Records per call. */
  maxRecords: number;
  /** Serialised bytes of the records' fields per call. */
  maxBytes?: number;
  rateLimit?: RateLimit;
  /** Calls in flight at once. */
  concurrency?: number;
  /** Per-call timeout. */
  timeoutMs?: number;
  /** Fields the destination can match existing records by, for documentation and checks. */
  matchingKeys?: readonly string[];
  /**
   * The destination's updates and upserts are partial: a field a record does not carry keeps
   * its value. Only then may a sync set `sendChangedFieldsOnly` (a changed record then carries
   * only the fields changed since its last delivery). Default false: every record carries
   * every mapped field.
   */
  partialUpdate?: boolean;
}

export interface DestinationContext<TConfig> {
  config: TConfig;
  logger: Logger;
  /** Aborted when the run is cancelled or the call times out. */
  signal: AbortSignal;
  /** ky, with the destination's `baseUrl`, timeouts and no retries (the engine retries). */
  http: KyInstance;
  /**
   * Holds every call to this destination instance (all syncs sharing it) for `ms` from now, in
   * the engine's limiter: for an answer that says a limit is used up although the call went
   * through (`X-RateLimit-Remaining: 0`). `reason` is what a held run reports: a text for a rate
   * limit (the wait is charged to the run's wait budget, like a 429's), or a QuotaExhaustedError
   * for a quota (a run that meets the pause ends as `partial` unless `resetsAt` fits its budget).
   * A 429 needs no pause: the RateLimitError it becomes already holds the calls.
   */
  pause(ms: number, reason: string | QuotaExhaustedError): void;
  /** Scratch space that lives as long as this destination instance (tokens, caches). */
  state: Map<string, unknown>;
  /** The config file's directory: resolve relative paths in options against it. */
  baseDir: string;
}

export interface DiscoverRequest {
  /** The objects the host needs, as syncs name them; undefined: all the destination can describe. */
  objects?: readonly string[] | undefined;
}

/** One object the destination can write, with its writable fields (see field-types.ts). */
export interface DiscoveredObject {
  /** The name a sync's `object` uses for it (`contacts`, `Contact`, a table). */
  name: string;
  /** Other names the destination knows it by (HubSpot's `0-1`, a custom object's `2-12345`). */
  aliases?: readonly string[] | undefined;
  fields: DiscoveredField[];
  /**
   * The object takes fields it does not list (Braze's custom attributes, created on first
   * write): a mapped name that is not listed is then no error (only a likely typo is noted).
   */
  extraFields?: boolean | undefined;
}

export interface DestinationDefinition<TConfig = unknown> {
  kind: "destination";
  name: string;
  apiVersion: number;
  description?: string;
  /** Options under `destinations.<name>` (besides `type`); mark secrets with `secret()`. */
  config: v.GenericSchema<unknown, TConfig>;
  /** Options under `syncs.<name>.options`, when the plugin takes per-sync options. */
  syncOptions?: v.GenericSchema<unknown, Record<string, unknown>>;
  capabilities: Capabilities | ((config: TConfig) => Capabilities);
  /** Tests the credentials and reachability; throws a SynclineError otherwise. */
  check(ctx: DestinationContext<TConfig>): Promise<void>;
  /**
   * The objects this destination can write and their fields, typed in the SDK's vocabulary
   * (FieldType). When present, `check` and `plan` validate each sync's mapping against it and
   * every run coerces values to the field types before sending (rejecting, without an API
   * call, a value that cannot be). Called once per run; a failure only skips that checking.
   * `request.objects`, when given, names the only objects the host needs (a sync's `object`):
   * describe just those when that saves calls; returning more is fine.
   */
  discover?(ctx: DestinationContext<TConfig>, request?: DiscoverRequest): Promise<DiscoveredObject[]>;
  /**
   * With `partialUpdate`: the fields a record must carry on every write even when they did not
   * change, because the destination finds the record by them (an upsert's id property, for
   * example). Fields mapped from the sync's primary key are always carried.
   */
  identifyingFields?(object: string, options: Record<string, unknown>): readonly string[];
  /**
   * Writes one batch and returns one outcome for every record. Throw a TransientError or
   * RateLimitError for a batch-level failure the engine should retry, a PermanentError when
   * the destination refused the whole batch (the engine splits it to find the bad records),
   * a ConfigurationError when nothing can succeed until the user fixes something.
   */
  write(ctx: DestinationContext<TConfig>, batch: WriteBatch): Promise<Outcome[]>;
  /** Releases connections when the host stops. */
  close?(ctx: DestinationContext<TConfig>): Promise<void>;
}

export function defineDestination<TConfig>(
  definition: Omit<DestinationDefinition<TConfig>, "kind" | "apiVersion"> & { apiVersion?: number },
): DestinationDefinition<TConfig> {
  return { ...definition, kind: "destination", apiVersion: definition.apiVersion ?? API_VERSION };
}
