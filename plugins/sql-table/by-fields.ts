import type { DestinationContext, DestinationRecord, Outcome, WriteBatch } from "syncline/sdk";
import { keyColumns, syncOptionsOf } from "./options.ts";

type Write<C> = (ctx: DestinationContext<C>, batch: WriteBatch) => Promise<Outcome[]>;

/**
 * Writes a batch as one write per set of fields. A table's statement writes every column it
 * names, so records that carry different fields (changed fields only, `nulls: skip`) must not
 * share one: a column one record leaves out would be written as NULL for it. A batch whose
 * records all carry the same fields (the usual case) stays one write, one transaction.
 *
 * An upserted record that was delivered before (it has a remote id) is updated in place: an
 * `INSERT … ON CONFLICT` of only some columns would fail a NOT NULL column it leaves out. Only
 * when no row has its key any more is it inserted.
 */
export function byFieldSet<C>(write: Write<C>): Write<C> {
  return async (ctx, batch) => {
    if (batch.operation === "delete") return write(ctx, batch);
    const groups = new Map<string, DestinationRecord[]>();
    for (const record of batch.records) {
      const existing = batch.operation === "upsert" && record.remoteId !== undefined;
      const signature = `${existing ? "u" : "i"}\u0000${Object.keys(record.fields).sort().join("\u0000")}`;
      const group = groups.get(signature);
      if (group) group.push(record);
      else groups.set(signature, [record]);
    }
    const outcomes = new Map<string, Outcome>();
    for (const [signature, records] of groups) {
      const results = signature.startsWith("u")
        ? await updateThenInsert(write, ctx, { ...batch, records })
        : groups.size === 1
          ? await write(ctx, batch)
          : await write(ctx, { ...batch, records });
      for (const outcome of results) outcomes.set(outcome.key, outcome);
    }
    return batch.records.map((record) => outcomes.get(record.key)!);
  };
}

async function updateThenInsert<C>(write: Write<C>, ctx: DestinationContext<C>, batch: WriteBatch) {
  const updated = await write(ctx, { ...batch, operation: "update" });
  const gone = new Set(updated.filter((o) => o.status === "reject" && o.code === "not_found").map((o) => o.key));
  if (gone.size === 0) return updated;
  const inserted = await write(ctx, { ...batch, records: batch.records.filter((record) => gone.has(record.key)) });
  const byKey = new Map(inserted.map((outcome) => [outcome.key, outcome]));
  return updated.map((outcome) => byKey.get(outcome.key) ?? outcome);
}

/** The columns a partial write must always carry: those the sync matches rows on. */
export function tableIdentifyingFields(_object: string, options: Record<string, unknown>): readonly string[] {
  return keyColumns(syncOptionsOf(options).key);
}
