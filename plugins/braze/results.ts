import { type DestinationRecord, type HttpResult, type Outcome, ok, reject, retry } from "syncline/sdk";
import { messageOf } from "./http.ts";

/** A record sent as `attributes[index]`, under its Braze identifier. */
export interface SentRecord {
  record: DestinationRecord;
  identifier: string;
}

/** One entry of Braze's `errors` array: `{type, input_array, index}`. */
export interface IndexedError {
  type: string;
  index: number;
}

/** Braze's answers that mean it took the attributes it did not name in `errors`. */
const ACCEPTED = new Set(["success", "queued"]);

/**
 * Outcomes for a `/users/track` answer, in the order sent. A 2xx with message `success` (or
 * `queued`, during maintenance) took every attribute object its `errors` array does not name by
 * index; a named one is rejected with Braze's reason. A 400 naming indexes refused the whole
 * call because of them: the named are rejected, the rest are retried. Any other refusal:
 * undefined (the call was refused as a whole).
 */
export function trackOutcomes(sent: readonly SentRecord[], response: HttpResult): Outcome[] | undefined {
  const { named, untied } = indexedErrors(response.body, sent.length);
  if (response.ok) {
    const message = messageOf(response.body);
    if (!ACCEPTED.has(message)) {
      const reason = `Braze answered HTTP ${response.status} with message ${JSON.stringify(message)}, not success`;
      return sent.map((item) => retry(item.record, { code: "malformed_response", message: reason }));
    }
    return sent.map((item, index) => {
      const error = named.get(index);
      if (error) return refused(item.record, error);
      if (untied.length > 0) return unconfirmed(item.record, untied[0] ?? "");
      return ok(item.record, item.identifier);
    });
  }
  if (response.status === 400 && named.size > 0) {
    return sent.map((item, index) => {
      const error = named.get(index);
      return error
        ? refused(item.record, error)
        : unconfirmed(item.record, `Braze refused the call (${messageOf(response.body)}) for other records`);
    });
  }
  return undefined;
}

/** The `attributes` errors by index, and the texts of those naming no attribute object sent. */
export function indexedErrors(body: unknown, count: number): { named: Map<number, string>; untied: string[] } {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  const named = new Map<number, string>();
  const untied: string[] = [];
  for (const entry of Array.isArray(errors) ? errors : []) {
    const { type, input_array: array, index } = (entry ?? {}) as Record<string, unknown>;
    const reason = typeof type === "string" ? type : JSON.stringify(entry);
    if (array !== undefined && array !== "attributes") continue;
    if (typeof index === "number" && Number.isInteger(index) && index >= 0 && index < count) {
      named.set(index, named.has(index) ? `${named.get(index)}; ${reason}` : reason);
    } else {
      untied.push(reason);
    }
  }
  return { named, untied };
}

function refused(record: DestinationRecord, reason: string): Outcome {
  return reject(record, { code: "braze_refused", message: reason });
}

function unconfirmed(record: DestinationRecord, reason: string): Outcome {
  return retry(record, {
    code: "no_result",
    message: `Braze did not confirm this record: ${reason}`,
  });
}
