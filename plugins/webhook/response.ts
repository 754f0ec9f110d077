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

/** Per-record outcomes from the body when it has them; otherwise the whole batch succeeded. */
export function outcomesFrom(body: unknown, records: readonly DestinationRecord[]): Outcome[] {
  const parsed = v.safeParse(resultsSchema, body);
  if (!parsed.success) return records.map((record) => ok(record));
  const byKey = new Map(parsed.output.results.map((result) => [result.key, result]));
  return records.map((record) => {
    const result = byKey.get(record.key);
    if (!result)
      return retry(record, { code: "missing_result", message: "the receiver's results did not mention this record" });
    if (result.status === "ok") return ok(record, result.id === undefined ? undefined : String(result.id));
    const reason = { code: result.code ?? "webhook_error", message: result.message ?? "rejected by the receiver" };
    return result.status === "retry" ? retry(record, reason) : reject(record, reason);
  });
}
