import { TransientError } from "../../sdk/errors/transient-error.ts";
import { keyOf } from "../../sdk/key.ts";
import type { Logger } from "../../sdk/logger.ts";
import type { DigestChunk, OrderedRead, RowTexts } from "../../sdk/ordered-read.ts";
import type { CanonicalRow } from "../../sdk/values.ts";
import type { StagingArea } from "../../state/staging-area.ts";
import type { RunCounts } from "../shared/counts.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { hashFields } from "./hash.ts";
import { countDuplicates, countNullKeys, type InvalidRow, type PlanResult } from "./plan-result.ts";
import { fieldHashesOf, fieldsInJsonOrder, fieldsOf, keyValuesJson } from "./record.ts";
import { OrderViolation } from "./snapshot-cursor.ts";
import type { StagedRecord } from "./staging.ts";

/**
 * Past this many duplicated keys the first sync stages the model instead: the duplicates are
 * held in memory while the rows stream by, and a model that is mostly duplicates would hold
 * most of its keys.
 */
const DUPLICATES_HELD = 100_000;

/** The model has more duplicated keys than a first sync holds: it stages the model instead. */
class TooManyDuplicates extends Error {}

/** An ordered read that can also stream every row (OrderedRead.allRows). */
export type StreamableRead = OrderedRead & { allRows(): AsyncIterable<CanonicalRow[]> };

type TraceRead = (<T extends { readonly length: number }>(pages: AsyncIterable<T>) => AsyncIterable<T>) | undefined;

/**
 * The two passes of a first sync over one ordered read (strategy-first-sync.ts): `plan` walks
 * the ordered keys (nulls and duplicates counted, duplicates staged as invalid, the rest
 * planned as added); `pages` then streams every row as a record to send, skipping those keys.
 * Invariant: a record's hash is the hash of all its mapped fields, as on every other path.
 */
export class FirstSyncStream {
  /** `plan` finished: the rows are to be streamed (else the run fell back to lookups). */
  planned = false;
  private readonly duplicates = new Set<string>();
  private expected = 0;
  private closed = false;
  private readonly spec: SyncSpec;
  private readonly read: StreamableRead;
  private readonly logger: Logger;

  constructor(spec: SyncSpec, read: StreamableRead, logger: Logger) {
    this.spec = spec;
    this.read = read;
    this.logger = logger;
  }

  /** Counts the delta from the ordered keys; undefined (read closed, nothing counted) when they are out of order. */
  async plan(
    staging: StagingArea,
    counts: RunCounts,
    traceRead: TraceRead,
    onProgress?: () => void,
  ): Promise<PlanResult | undefined> {
    const invalidSamples: InvalidRow[] = [];
    try {
      await this.walkKeys(
        staging,
        counts,
        invalidSamples,
        traceRead ? traceRead(this.read.chunks) : this.read.chunks,
        onProgress,
      );
    } catch (error) {
      if (!(error instanceof OrderViolation || error instanceof TooManyDuplicates)) throw error;
      this.logger.warn({ reason: error.message }, "first sync: reading the model whole instead of streaming it");
      await this.close();
      staging.clear();
      Object.assign(counts, { rowsRead: 0, invalid: 0, unchanged: 0 });
      counts.planned = { added: 0, changed: 0, removed: 0 };
      return undefined;
    }
    countDuplicates(staging, counts, invalidSamples);
    counts.planned.added = this.expected;
    this.planned = true;
    return { invalidSamples, snapshotSize: 0 };
  }

  private async walkKeys(
    staging: StagingArea,
    counts: RunCounts,
    samples: InvalidRow[],
    chunks: AsyncIterable<DigestChunk>,
    onProgress?: () => void,
  ): Promise<void> {
    const pk = this.spec.primaryKey;
    let previous: string | undefined;
    let rows = 0;
    const settle = () => {
      if (previous === undefined) return;
      if (rows === 1) this.expected++;
      else {
        staging.markDuplicate(previous, rows - 1);
        this.duplicates.add(previous);
        if (this.duplicates.size > DUPLICATES_HELD)
          throw new TooManyDuplicates(`more than ${DUPLICATES_HELD} duplicated keys`);
      }
    };
    for await (const chunk of chunks) {
      const keyAt = chunk.key ? (i: number) => chunk.key!(i) : (i: number) => keyOf(chunk.keyRow(i), pk);
      for (let i = 0; i < chunk.length; i++) {
        const key = keyAt(i);
        if (key === undefined) countNullKeys(counts, samples, pk);
        else if (key === previous) rows++;
        else {
          if (previous !== undefined && key < previous) throw new OrderViolation("the model");
          settle();
          previous = key;
          rows = 1;
        }
      }
      counts.rowsRead += chunk.length;
      onProgress?.();
    }
    settle();
  }

  /** Every planned record, page by page, as the model's rows stream by. */
  async *pages(): AsyncGenerator<StagedRecord[]> {
    const texts = this.textPages();
    let streamed = 0;
    for await (const page of texts ? this.fromTexts(texts) : this.fromRows()) {
      streamed += page.length;
      if (page.length > 0) yield page;
    }
    if (streamed !== this.expected) {
      // Both passes read one state of the model: the source's keys differ from the engine's.
      throw new TransientError(
        `the model's rows (${streamed}) did not match its ordered keys (${this.expected}) on this first sync`,
        { code: "model_changed", fix: "run the sync again: it compares with what was delivered" },
      );
    }
  }

  /**
   * The rows as texts the source renders (OrderedRead.allRowTexts), when the records are sent
   * as their canonical JSON is (no nulls skipped, no field hashes): undefined otherwise.
   */
  private textPages(): AsyncIterable<RowTexts> | undefined {
    if (this.spec.nulls === "skip" || this.spec.changedFieldsOnly) return undefined;
    return this.read.allRowTexts?.(fieldsInJsonOrder(this.spec));
  }

  private async *fromTexts(pages: AsyncIterable<RowTexts>): AsyncGenerator<StagedRecord[]> {
    for await (const { keys, fields, keyValues, rows } of pages) {
      const page: StagedRecord[] = [];
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key !== null && key !== undefined && !this.duplicates.has(key))
          page.push(added(key, fields[i]!, keyValues[i]!, null, fields[i]!));
      }
      yield this.records(rows, page);
    }
  }

  private async *fromRows(): AsyncGenerator<StagedRecord[]> {
    for await (const rows of this.read.allRows()) yield this.records(rows, []);
  }

  /** `page` with the records of `rows` added (those with a key, not duplicated). */
  private records(rows: Iterable<CanonicalRow>, page: StagedRecord[]): StagedRecord[] {
    for (const row of rows) {
      const key = keyOf(row, this.spec.primaryKey);
      if (key !== undefined && !this.duplicates.has(key)) page.push(this.record(key, row));
    }
    return page;
  }

  private record(key: string, row: CanonicalRow): StagedRecord {
    const fields = fieldsOf(row, this.spec);
    const json = JSON.stringify(fields);
    const sent = this.spec.nulls === "skip" ? withoutNulls(fields) : fields;
    return added(
      key,
      json,
      keyValuesJson(row, this.spec),
      fieldHashesOf(this.spec, fields),
      sent === fields ? json : JSON.stringify(sent),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.read.close();
  }
}

/** An added record: `json`, the canonical JSON of its mapped fields, is what its hash is of. */
function added(key: string, json: string, keyValues: string, fieldHashes: string | null, sent: string): StagedRecord {
  return {
    seq: 0,
    key,
    change: "added",
    fields: sent,
    keyValues,
    hash: hashFields(json),
    remoteId: null,
    fieldHashes,
    failedHashes: null,
    changedFields: null,
  };
}

function withoutNulls(fields: CanonicalRow): CanonicalRow {
  const kept: CanonicalRow = {};
  for (const name of Object.keys(fields)) if (fields[name] !== null) kept[name] = fields[name]!;
  return kept;
}
