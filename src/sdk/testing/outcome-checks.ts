import type { DestinationRecord, Outcome } from "../destination.ts";

/** Problems with a write's outcomes, as sentences (empty when they follow the contract). */
export function outcomeProblems(records: readonly DestinationRecord[], outcomes: readonly Outcome[]): string[] {
  const problems: string[] = [];
  if (!Array.isArray(outcomes)) return ["write() must return an array of outcomes"];
  if (outcomes.length !== records.length) {
    problems.push(`write() returned ${outcomes.length} outcomes for ${records.length} records`);
  }
  const expected = new Set(records.map((record) => record.key));
  const seen = new Set<string>();
  for (const outcome of outcomes) {
    if (!expected.has(outcome.key)) problems.push(`outcome for unknown key ${JSON.stringify(outcome.key)}`);
    if (seen.has(outcome.key)) problems.push(`more than one outcome for key ${JSON.stringify(outcome.key)}`);
    seen.add(outcome.key);
    if (outcome.status === "ok") {
      // No id (undefined or null) is fine: the engine stores none, as for ok(record).
      if (outcome.remoteId != null && typeof outcome.remoteId !== "string") {
        problems.push(`remoteId of ${outcome.key} must be a string, null or absent`);
      }
    } else if (outcome.status === "retry" || outcome.status === "reject") {
      if (typeof outcome.code !== "string" || outcome.code === "") problems.push(`${outcome.key}: code is missing`);
      if (typeof outcome.message !== "string" || outcome.message === "") {
        problems.push(`${outcome.key}: message is missing`);
      }
    } else {
      problems.push(
        `${(outcome as Outcome).key}: invalid status ${JSON.stringify((outcome as { status: unknown }).status)}`,
      );
    }
  }
  for (const key of expected) if (!seen.has(key)) problems.push(`no outcome for key ${JSON.stringify(key)}`);
  return problems;
}

/** Outcomes that are not `ok`, described for an assertion message. */
export function notOk(outcomes: readonly Outcome[]): string[] {
  const problems: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status !== "ok") problems.push(`${outcome.key}: ${outcome.status} ${outcome.code} ${outcome.message}`);
  }
  return problems;
}

/** Serialised bytes of the records' fields, as the engine measures `maxBytes`. */
export function fieldBytes(record: DestinationRecord): number {
  return Buffer.byteLength(JSON.stringify(record.fields));
}
