import type { DestinationRecord, Outcome } from "./destination.ts";

/**
 * The destination accepted the record. `remoteId` is the destination's id for it, when it
 * gives one (it comes back as `record.remoteId` on later writes); omit it, or pass `null` or
 * `undefined`, when the destination returns none.
 */
export function ok(record: Pick<DestinationRecord, "key">, remoteId?: string | null): Outcome {
  return remoteId === undefined || remoteId === null
    ? { key: record.key, status: "ok" }
    : { key: record.key, status: "ok", remoteId };
}

/** A transient failure for this record: the engine tries it again. */
export function retry(
  record: Pick<DestinationRecord, "key">,
  reason: { code?: string; message: string; retryAfterMs?: number },
): Outcome {
  return {
    key: record.key,
    status: "retry",
    code: reason.code ?? "transient",
    message: reason.message,
    retryAfterMs: reason.retryAfterMs,
  };
}

/** The destination refused the record: it goes to the retry ledger with this reason. */
export function reject(record: Pick<DestinationRecord, "key">, reason: { code?: string; message: string }): Outcome {
  return { key: record.key, status: "reject", code: reason.code ?? "rejected", message: reason.message };
}

/** The same outcome for every record of a batch. */
export function all(records: readonly DestinationRecord[], make: (record: DestinationRecord) => Outcome): Outcome[] {
  return records.map(make);
}
