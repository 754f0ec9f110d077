import type { StagedRecord } from "../delta/staging.ts";

export interface BatchLimits {
  maxRecords: number;
  maxBytes?: number | undefined;
}

/** Bytes a record adds to a call: its fields' JSON plus its key and some framing. */
export function recordBytes(record: StagedRecord): number {
  return (record.fields?.length ?? 0) + (record.keyValues?.length ?? 0) + record.key.length + 32;
}

/**
 * Groups staged records into batches no larger than the destination accepts in one call,
 * by count and by bytes. A record that alone exceeds the byte limit is handed to
 * `oversized` instead (it can never be delivered as it is).
 */
export async function* batches(
  pages: Iterable<StagedRecord[]> | AsyncIterable<StagedRecord[]>,
  limits: BatchLimits,
  oversized: (record: StagedRecord, bytes: number) => void,
): AsyncGenerator<StagedRecord[]> {
  let batch: StagedRecord[] = [];
  let bytes = 0;
  for await (const page of pages) {
    for (const record of page) {
      const size = recordBytes(record);
      if (limits.maxBytes !== undefined && size > limits.maxBytes) {
        oversized(record, size);
        continue;
      }
      const full =
        batch.length >= limits.maxRecords || (limits.maxBytes !== undefined && bytes + size > limits.maxBytes);
      if (full && batch.length > 0) {
        yield batch;
        batch = [];
        bytes = 0;
      }
      batch.push(record);
      bytes += size;
    }
  }
  if (batch.length > 0) yield batch;
}
