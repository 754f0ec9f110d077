import type { DestinationRecord } from "../../sdk/destination.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import type { Redact } from "../ledger/redact-error.ts";

/** A record's outcome once the engine has checked it: what the destination said, or why not. */
export type CheckedOutcome =
  | { status: "ok"; remoteId: string | undefined }
  | { status: "reject"; code: string; message: string }
  | { status: "retry"; error: TransientError };

const KINDS = '"ok", "retry" or "reject"';

/**
 * The engine's guard on what a plugin's `write()` returned: exactly one outcome per record of
 * the batch, matched by its key (the string the batch gave), of a known kind. Anything else is
 * the plugin's mistake, and the records it concerns are retried with a reason that names it —
 * never taken as delivered. An outcome for a key that is not in the batch means the plugin's
 * keys do not line up with the records (a key echoed as a number, outcomes matched by
 * position), so none of that call's outcomes is trusted. The destination's codes and messages
 * are kept with every secret masked (`redact`).
 */
export function checkOutcomes(
  plugin: string,
  records: readonly DestinationRecord[],
  outcomes: readonly unknown[],
  redact: Redact,
): Map<string, CheckedOutcome> {
  const checked = new Map<string, CheckedOutcome>();
  const byKey = new Map<string, unknown[]>(records.map((record) => [record.key, []]));
  for (const outcome of outcomes) {
    const key = (outcome as { key?: unknown } | null | undefined)?.key;
    const list = typeof key === "string" ? byKey.get(key) : undefined;
    if (!list) {
      const error = mistake(plugin, `returned an outcome for ${describeKey(key)}, which is not in the batch`, "stray");
      for (const record of records) checked.set(record.key, { status: "retry", error });
      return checked;
    }
    list.push(outcome);
  }
  for (const [key, list] of byKey) {
    if (list.length === 0) {
      checked.set(key, { status: "retry", error: mistake(plugin, "returned no outcome for this record", "missing") });
    } else if (list.length > 1) {
      const error = mistake(plugin, `returned ${list.length} outcomes for this record`, "duplicate");
      checked.set(key, { status: "retry", error });
    } else {
      checked.set(key, checkOne(plugin, list[0] as Record<string, unknown>, redact));
    }
  }
  return checked;
}

function checkOne(plugin: string, outcome: Record<string, unknown>, redact: Redact): CheckedOutcome {
  const text = (value: unknown, fallback: string) =>
    typeof value === "string" && value !== "" ? redact(value) : fallback;
  switch (outcome.status) {
    case "ok": {
      const { remoteId } = outcome;
      if (remoteId === undefined || remoteId === null) return { status: "ok", remoteId: undefined };
      if (typeof remoteId === "string") return { status: "ok", remoteId };
      if (typeof remoteId === "number" && Number.isFinite(remoteId))
        return { status: "ok", remoteId: String(remoteId) };
      return {
        status: "retry",
        error: mistake(plugin, `returned a malformed outcome for this record (ok with a ${typeof remoteId} remoteId)`),
      };
    }
    case "reject":
      return {
        status: "reject",
        code: text(outcome.code, "rejected"),
        message: text(outcome.message, "rejected by the destination"),
      };
    case "retry": {
      const after = outcome.retryAfterMs;
      return {
        status: "retry",
        error: new TransientError(text(outcome.message, "the destination asked to try again"), {
          code: text(outcome.code, "transient"),
          retryAfterMs: typeof after === "number" && Number.isFinite(after) && after > 0 ? after : undefined,
        }),
      };
    }
    default:
      return {
        status: "retry",
        error: mistake(
          plugin,
          `returned a malformed outcome for this record (status ${JSON.stringify(outcome.status) ?? "missing"}; expected ${KINDS})`,
        ),
      };
  }
}

function mistake(plugin: string, what: string, kind = "malformed"): TransientError {
  return new TransientError(`the ${plugin} plugin ${what}`, {
    code: `${kind}_outcome`,
    fix: "a plugin must return one outcome per record, with the record's key as given, status ok, retry or reject",
  });
}

function describeKey(key: unknown): string {
  if (typeof key === "string") return `key ${JSON.stringify(key)}`;
  if (key === undefined || key === null) return "no key";
  return `key ${JSON.stringify(key) ?? String(key)} (a ${typeof key}, where the batch gave strings)`;
}
