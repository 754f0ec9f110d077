/**
 * Syncline's public SDK: everything a source or destination plugin needs, and nothing of
 * the engine. Import it as `syncline/sdk`.
 */

export { isCanonicalFieldsJson } from "./canonical-json-check.ts";
export { inChunks } from "./chunks.ts";
export {
  API_VERSION,
  type Capabilities,
  type DestinationContext,
  type DestinationDefinition,
  type DestinationRecord,
  type DiscoveredObject,
  type DiscoverRequest,
  defineDestination,
  type Operation,
  type Outcome,
  type RateLimit,
  type WriteBatch,
} from "./destination.ts";
export { HexDigestChunk, KeyTextChunk, md5HexEquals } from "./digest-chunk.ts";
export { classify } from "./errors/classify.ts";
export { ConfigurationError } from "./errors/configuration-error.ts";
export { errorForStatus, type Refusal, retryAfterMs, type StatusWording } from "./errors/http-status.ts";
export { PermanentError } from "./errors/permanent-error.ts";
export { QuotaExhaustedError, type QuotaExhaustedErrorOptions } from "./errors/quota-exhausted-error.ts";
export { RateLimitError } from "./errors/rate-limit-error.ts";
export { type ErrorKind, isSynclineError, SynclineError } from "./errors/syncline-error.ts";
export { TransientError } from "./errors/transient-error.ts";
export { type DiscoveredField, FIELD_TYPES, type FieldType, isFieldType } from "./field-types.ts";
export { createHttpClient, type HttpClientOptions } from "./http.ts";
export {
  type HttpApi,
  type HttpApiOptions,
  type HttpCallOptions,
  type HttpMethod,
  type HttpResult,
  httpApi,
} from "./http-api.ts";
export {
  type HttpOptionDefaults,
  httpDestinationOptions,
  positiveInteger,
  rateLimitOption,
} from "./http-options.ts";
export { keyOf } from "./key.ts";
export { type Logger, silentLogger } from "./logger.ts";
export type { DigestChunk, OrderedRead, OrderedReadRequest, RowTexts } from "./ordered-read.ts";
export { all, ok, reject, retry } from "./outcomes.ts";
export { processAlive } from "./process.ts";
export { fieldsJson, recordsJson } from "./record-json.ts";
export { secret, secretKeys } from "./secret.ts";
export {
  type Column,
  defineSource,
  type Model,
  type ReadOptions,
  type Relation,
  type SourceContext,
  type SourceDefinition,
  type TableRef,
  type WarehouseAccess,
  type WarehouseDialect,
} from "./source.ts";
export { fromText } from "./text-values.ts";
export { canonicalTimestampText, timestampMicros } from "./timestamp.ts";
export { sendInTurns } from "./turns.ts";
export {
  type CanonicalRow,
  type CanonicalValue,
  canonicalBinary,
  canonicalDate,
  canonicalDecimal,
  canonicalFloat,
  canonicalInteger,
  canonicalize,
  canonicalJsonText,
  canonicalTimestamp,
} from "./values.ts";
