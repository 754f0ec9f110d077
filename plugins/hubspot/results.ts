import { type Outcome, ok, reject, retry } from "syncline/sdk";
import type { SentRecord } from "./plan.ts";
import { normaliseId } from "./values.ts";

interface BatchResult {
  id?: string;
  properties?: Record<string, string | null>;
  objectWriteTraceId?: string;
}

interface BatchError {
  status?: string;
  category?: string;
  message?: string;
  context?: Record<string, unknown>;
}

/** Per-record error categories worth trying again. */
const RETRYABLE = new Set(["RATE_LIMITS", "INTERNAL_ERROR", "TIMEOUT", "SERVICE_UNAVAILABLE"]);

/**
 * Maps a 200/201/207 batch answer (`results[]` and `errors[]`) back to the records sent, by
 * objectWriteTraceId, idProperty value or HubSpot id. Every sent record gets one outcome.
 */
export function mapBatchResponse(
  sent: readonly SentRecord[],
  body: unknown,
  idProperty: string | undefined,
): Outcome[] {
  const results = arrayOf<BatchResult>((body as { results?: unknown } | null)?.results);
  const errors = arrayOf<BatchError>((body as { errors?: unknown } | null)?.errors);
  const outcomes = new Map<SentRecord, Outcome>();
  const find = finder(sent, idProperty);

  for (const result of results) {
    const match =
      find.byTrace(result.objectWriteTraceId) ??
      find.byValue(idProperty ? result.properties?.[idProperty] : undefined) ??
      find.byHubSpotId(result.id);
    if (match && !outcomes.has(match)) outcomes.set(match, ok(match.record, result.id));
  }
  // HubSpot does not promise results in input order: a result that names no record sent
  // confirms none of them, however many results there are.

  const unmatched: BatchError[] = [];
  for (const error of errors) {
    const matches = [
      ...stringsOf(error.context?.objectWriteTraceId).map((trace) => find.byTrace(trace)),
      ...stringsOf(error.context?.ids).map((id) => find.byValue(id) ?? find.byHubSpotId(id)),
    ].filter((item): item is SentRecord => item !== undefined);
    if (matches.length === 0) unmatched.push(error);
    for (const match of matches) {
      const earlier = outcomes.get(match);
      // A record HubSpot reports both written and refused is confirmed by neither answer.
      outcomes.set(match, earlier?.status === "ok" ? conflict(match) : (earlier ?? errorOutcome(match, error)));
    }
  }

  const missing = sent.filter((item) => !outcomes.has(item));
  if (missing.length === 1 && unmatched.length === 1) {
    const [only] = missing;
    if (only && unmatched[0]) outcomes.set(only, errorOutcome(only, unmatched[0]));
  }
  return sent.map(
    (item) =>
      outcomes.get(item) ??
      retry(item.record, {
        code: "no_result",
        message: unmatched[0]?.message
          ? `HubSpot reported an error it did not tie to a record: ${unmatched[0].message}`
          : "HubSpot did not report a result for this record",
      }),
  );
}

function conflict(item: SentRecord): Outcome {
  return retry(item.record, {
    code: "conflicting_result",
    message: "HubSpot reported both a result and an error for this record",
  });
}

function errorOutcome(item: SentRecord, error: BatchError): Outcome {
  const code = error.category ?? "HUBSPOT_ERROR";
  const message = error.message ?? "HubSpot refused the record";
  return RETRYABLE.has(code) ? retry(item.record, { code, message }) : reject(item.record, { code, message });
}

function finder(sent: readonly SentRecord[], idProperty: string | undefined) {
  const traces = new Map<string, SentRecord>();
  const values = new Map<string, SentRecord>();
  const hubspotIds = new Map<string, SentRecord>();
  for (const item of sent) {
    traces.set(item.trace, item);
    if (item.idValue !== undefined) values.set(item.idValue, item);
    if (item.hubspotId !== undefined) hubspotIds.set(item.hubspotId, item);
  }
  return {
    byTrace: (trace: unknown) => (typeof trace === "string" ? traces.get(trace) : undefined),
    byValue: (value: unknown) => (typeof value === "string" ? values.get(normaliseId(idProperty, value)) : undefined),
    byHubSpotId: (id: unknown) => (typeof id === "string" ? hubspotIds.get(id) : undefined),
  };
}

function arrayOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter((item) => item && typeof item === "object") as T[]) : [];
}

function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
