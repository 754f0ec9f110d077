import type { ChangelogOperation, NewChangelogRow } from "../../state/changelog-store.ts";
import type { StagedRecord } from "../delta/staging.ts";
import type { FinalOutcome } from "./final-outcome.ts";
import type { Redact } from "./redact-error.ts";

/** A reason is kept up to this many characters in the changelog (the ledger keeps its own copy). */
export const REASON_MAX_CHARS = 1024;
/** Redaction looks at this much of a reason: a secret cut at this point lies past REASON_MAX_CHARS. */
const REDACT_WINDOW = 4 * REASON_MAX_CHARS;

export interface ChangelogOptions {
  /** Keep the mapped fields sent (redacted); off by default: the state holds keys, hashes and remote ids. */
  values: boolean;
  redact: Redact;
}

const OPERATIONS: Record<StagedRecord["change"], ChangelogOperation> = {
  added: "add",
  changed: "change",
  removed: "remove",
};

export const DEFERRED_REASON =
  "the run stopped before the destination settled this record (cancel, shutdown, quota or wait budget); the next run sends it again";

/**
 * The changelog row for one record's final outcome in a run, or undefined when no call carried
 * it (deferred before it was sent). One row per record per run, whatever the retries within the
 * run: `attempts` says how many calls carried it. A failure the engine gives up on for this run
 * (transient) is `retry`: the ledger sends it again next run; a refusal is `reject`.
 */
export function changelogRow(
  record: StagedRecord,
  outcome: FinalOutcome,
  options: ChangelogOptions,
): NewChangelogRow | undefined {
  const operation = OPERATIONS[record.change];
  const values = options.values && record.fields !== null ? options.redact(record.fields) : null;
  switch (outcome.status) {
    case "ok":
      return [
        record.key,
        operation,
        "ok",
        null,
        null,
        outcome.remoteId ?? record.remoteId ?? null,
        outcome.attempts,
        values,
      ];
    case "failed":
      return [
        record.key,
        operation,
        outcome.errorClass === "permanent" ? "reject" : "retry",
        clip(options.redact(outcome.code), 200),
        reasonText(outcome.message, options.redact),
        record.remoteId,
        outcome.attempts,
        values,
      ];
    case "deferred":
      if (outcome.attempts === 0) return undefined;
      return [record.key, operation, "retry", "deferred", DEFERRED_REASON, record.remoteId, outcome.attempts, values];
  }
}

/** Redacted, then cut to REASON_MAX_CHARS with a note of how long it was. */
export function reasonText(reason: string, redact: Redact): string {
  const masked = redact(reason.length > REDACT_WINDOW ? reason.slice(0, REDACT_WINDOW) : reason);
  if (reason.length <= REASON_MAX_CHARS && masked.length <= REASON_MAX_CHARS) return masked;
  return `${masked.slice(0, REASON_MAX_CHARS)}… (cut; ${reason.length} characters in all)`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
