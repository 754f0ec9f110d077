import { type DestinationRecord, type Outcome, ok, reject, retry } from "syncline/sdk";
import * as v from "valibot";

/** The optional per-record answer a receiver may give: `{ results: [{ key, status, id?, code?, message? }] }`. */
const resultsSchema = v.object({
  results: v.array(
    v.object({
      key: v.string(),
      status: v.picklist(["ok", "error", "retry"]),
      id: v.optional(v.union([v.string(), v.number()])),
      code: v.optional(v.string()),
      message: v.optional(v.string()),
    }),
  ),
});

type Result = v.InferOutput<typeof resultsSchema>["results"][number];

const EXPECTED =
  'answer {"results": [{"key": "<the key as sent>", "status": "ok" | "error" | "retry"}]}, or no "results" to accept the whole batch';

/**
 * Per-record outcomes from the body when it has `results`; a 2xx without them accepts the
 * whole batch. A `results` the receiver got wrong (a key echoed as a number, an unknown status,
 * a key that was not sent) confirms nothing: every record is retried, with the mistake named.
 */
export function outcomesFrom(body: unknown, records: readonly DestinationRecord[]): Outcome[] {
  if (!body || typeof body !== "object" || !("results" in body)) return records.map((record) => ok(record));
  const parsed = v.safeParse(resultsSchema, body);
  if (!parsed.success) {
    const [issue] = parsed.issues;
    return malformed(records, `${v.getDotPath(issue) ?? "results"}: ${issue.message}`);
  }
  const sent = new Set(records.map((record) => record.key));
  const byKey = new Map<string, Result[]>();
  for (const result of parsed.output.results) {
    if (!sent.has(result.key)) return malformed(records, `key ${JSON.stringify(result.key)} was not sent`);
    byKey.set(result.key, [...(byKey.get(result.key) ?? []), result]);
  }
  return records.map((record) => {
    const [result, ...more] = byKey.get(record.key) ?? [];
    if (!result)
      return retry(record, { code: "missing_result", message: "the receiver's results did not mention this record" });
    if (more.length > 0) {
      return retry(record, {
        code: "duplicate_result",
        message: `the receiver's results mention this record ${more.length + 1} times`,
      });
    }
    if (result.status === "ok") return ok(record, result.id === undefined ? undefined : String(result.id));
    const reason = { code: result.code ?? "webhook_error", message: result.message ?? "rejected by the receiver" };
    return result.status === "retry" ? retry(record, reason) : reject(record, reason);
  });
}

function malformed(records: readonly DestinationRecord[], detail: string): Outcome[] {
  const message = `the receiver's per-record answer is malformed (${detail}) — ${EXPECTED}`;
  return records.map((record) => retry(record, { code: "malformed_response", message }));
}
