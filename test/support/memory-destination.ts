import {
  type CanonicalRow,
  type DestinationRecord,
  defineDestination,
  type Operation,
  type Outcome,
  ok,
  RateLimitError,
  reject,
  retry,
  TransientError,
} from "syncline/sdk";
import * as v from "valibot";

export type Decision = "ok" | "retry" | "reject";

export interface Write {
  call: number;
  operation: Operation;
  key: string;
  fields: CanonicalRow;
}

/**
 * An in-process destination for engine tests: it holds records by key, logs every write in
 * order, and lets a test decide each record's outcome or fail whole calls.
 */
export class MemoryDestination {
  readonly records = new Map<string, CanonicalRow>();
  readonly writes: Write[] = [];
  calls = 0;
  /** Per record: ok unless the test says otherwise. */
  decide: (record: DestinationRecord, operation: Operation) => Decision = () => "ok";
  /** Per call: throw to fail the whole call (e.g. a RateLimitError). */
  beforeCall: (call: number, records: readonly DestinationRecord[]) => void = () => {};
  /** Called inside each write, after the outcomes are decided (to crash or pause mid-sink). */
  afterCall: (call: number) => Promise<void> | void = () => {};

  /**
   * `partialUpdate`: writes change only the fields a record carries (as HubSpot's do) and the
   * destination declares it; otherwise a write replaces the whole record.
   */
  plugin(options: { maxRecords?: number; maxBytes?: number; concurrency?: number; partialUpdate?: boolean } = {}) {
    return defineDestination({
      name: "memory",
      config: v.object({}),
      capabilities: {
        operations: ["upsert", "update", "insert", "delete"],
        maxRecords: options.maxRecords ?? 10,
        maxBytes: options.maxBytes,
        concurrency: options.concurrency ?? 2,
        timeoutMs: 5_000,
        partialUpdate: options.partialUpdate ?? false,
      },
      check: async () => {},
      write: async (_ctx, batch) => {
        const call = ++this.calls;
        this.beforeCall(call, batch.records);
        const outcomes: Outcome[] = [];
        for (const record of batch.records) {
          const decision = this.decide(record, batch.operation);
          if (decision === "retry") {
            outcomes.push(retry(record, { code: "busy", message: "try again" }));
            continue;
          }
          if (decision === "reject") {
            outcomes.push(reject(record, { code: "INVALID", message: `record ${record.key} is invalid` }));
            continue;
          }
          if (batch.operation === "update" && !this.records.has(record.key)) {
            outcomes.push(reject(record, { code: "NOT_FOUND", message: "no such record to update" }));
            continue;
          }
          if (batch.operation === "insert" && this.records.has(record.key)) {
            outcomes.push(reject(record, { code: "DUPLICATE", message: "record exists" }));
            continue;
          }
          if (batch.operation === "delete") this.records.delete(record.key);
          else if (options.partialUpdate && batch.operation !== "insert") {
            this.records.set(record.key, { ...this.records.get(record.key), ...record.fields });
          } else this.records.set(record.key, record.fields);
          this.writes.push({ call, operation: batch.operation, key: record.key, fields: record.fields });
          outcomes.push(ok(record, `remote-${record.key}`));
        }
        await this.afterCall(call);
        return outcomes;
      },
    });
  }
}

export { RateLimitError, TransientError };
