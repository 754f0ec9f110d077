import type { DestinationRecord, Outcome } from "./destination.ts";
import { retry } from "./outcomes.ts";

/**
 * Writes a batch's records in turns, `size` records a call, one call after another, and gathers
 * their outcomes. When a turn after the first fails for now (a transient error, a rate limit or
 * a quota), the records not yet sent come back `retry` with its reason instead of the error being
 * thrown, so that the records already accepted are not sent again. The first turn's failure, and
 * any other, is thrown: the engine then retries, splits or stops the whole batch.
 */
export async function sendInTurns<R extends DestinationRecord>(
  records: readonly R[],
  size: number,
  send: (turn: R[]) => Promise<Outcome[]>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let start = 0; start < records.length; start += size) {
    try {
      outcomes.push(...(await send(records.slice(start, start + size))));
    } catch (error) {
      const { kind, code, message, retryAfterMs } = error as {
        kind?: string;
        code: string;
        message: string;
        retryAfterMs?: number;
      };
      if (start === 0 || (kind !== "transient" && kind !== "quota")) throw error;
      const reason = retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
      for (const record of records.slice(start)) outcomes.push(retry(record, reason));
      break;
    }
  }
  return outcomes;
}
