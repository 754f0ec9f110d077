import {
  type DestinationContext,
  type DestinationRecord,
  type Outcome,
  ok,
  reject,
  retry,
  sendInTurns,
  type WriteBatch,
} from "syncline/sdk";
import { type BrazeConfig, type Identity, identityOf, MAX_DELETES } from "./config.ts";
import { brazeApi, messageOf } from "./http.ts";
import { takeDeleteSlot } from "./rate-limit.ts";

/**
 * Mirror deletes through `/users/delete`, at most 50 identifiers a call, by the identifier each
 * record was delivered under (its remote id). Deleting a user Braze does not hold is not an
 * error, so a repeated delete is idempotent. When a later call of the batch fails transiently,
 * the records of the calls already answered stay ok and the rest are retried.
 */
export async function deleteBatch(ctx: DestinationContext<BrazeConfig>, batch: WriteBatch): Promise<Outcome[]> {
  const identity = identityOf(batch.options);
  const outcomes = new Map<string, Outcome>();
  const known: DestinationRecord[] = [];
  for (const record of batch.records) {
    if (record.remoteId) known.push(record);
    else
      outcomes.set(
        record.key,
        reject(record, {
          code: "missing_id",
          message: `cannot delete: Syncline holds no Braze ${identity.kind} for this record (it was never delivered)`,
        }),
      );
  }
  const sent = await sendInTurns(known, MAX_DELETES, (chunk) => deleteChunk(ctx, chunk, identity));
  for (const outcome of sent) outcomes.set(outcome.key, outcome);
  return batch.records.map((record) => outcomes.get(record.key) as Outcome);
}

async function deleteChunk(
  ctx: DestinationContext<BrazeConfig>,
  records: DestinationRecord[],
  identity: Identity,
): Promise<Outcome[]> {
  takeDeleteSlot(ctx);
  const ids = records.map((record) => String(record.remoteId));
  const body =
    identity.kind === "external_id"
      ? { external_ids: ids }
      : { user_aliases: ids.map((name) => ({ alias_name: name, alias_label: identity.label })) };
  const response = await brazeApi.call(ctx, "POST", "users/delete", { json: body });
  if (!response.ok) throw brazeApi.error(response, ctx);
  if (messageOf(response.body) !== "success") {
    const reason = `Braze answered HTTP ${response.status} to /users/delete without success`;
    return records.map((record) => retry(record, { code: "malformed_response", message: reason }));
  }
  return records.map((record) => ok(record, record.remoteId));
}
