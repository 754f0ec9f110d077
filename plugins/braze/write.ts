import {
  ConfigurationError,
  type DestinationContext,
  type HttpResult,
  type Outcome,
  reject,
  type WriteBatch,
} from "syncline/sdk";
import { type AttributeObject, attributeObject } from "./attributes.ts";
import { type BrazeConfig, identityOf } from "./config.ts";
import { deleteBatch } from "./delete.ts";
import { brazeApi, messageOf } from "./http.ts";
import { type SentRecord, trackOutcomes } from "./results.ts";

/**
 * Writes one batch (at most 75 records): upserts and updates as one `/users/track` call of
 * attribute objects (updates in Braze's update-only mode), deletes through `/users/delete`.
 * Returns the outcomes in the batch's order.
 */
export async function writeBatch(ctx: DestinationContext<BrazeConfig>, batch: WriteBatch): Promise<Outcome[]> {
  if (batch.object !== "users") {
    throw new ConfigurationError(`Braze has no object "${batch.object}" to write: this destination writes users`, {
      code: "unknown_object",
      path: "object",
      fix: "set the sync's object to users",
    });
  }
  if (batch.operation === "delete") return deleteBatch(ctx, batch);
  const identity = identityOf(batch.options);
  const outcomes = new Map<string, Outcome>();
  const sent: SentRecord[] = [];
  const attributes: AttributeObject[] = [];
  for (const record of batch.records) {
    const built = attributeObject(record, identity, batch.operation === "update");
    if ("outcome" in built) {
      outcomes.set(record.key, built.outcome);
      continue;
    }
    sent.push({ record, identifier: String(record.fields[identity.field]) });
    attributes.push(built.object);
  }
  if (sent.length > 0) {
    const response = await brazeApi.call(ctx, "POST", "users/track", { json: { attributes } });
    const answered = trackOutcomes(sent, response) ?? refusedCall(ctx, sent, response);
    for (const outcome of answered) outcomes.set(outcome.key, outcome);
  }
  return batch.records.map((record) => outcomes.get(record.key) as Outcome);
}

/** A call refused as a whole throws, except that a lone record Braze refuses is rejected with its message. */
function refusedCall(
  ctx: DestinationContext<BrazeConfig>,
  sent: readonly SentRecord[],
  response: HttpResult,
): Outcome[] {
  const error = brazeApi.error(response, ctx);
  const [only] = sent;
  if (error.kind === "permanent" && sent.length === 1 && only) {
    return [reject(only.record, { code: error.code, message: messageOf(response.body) || error.message })];
  }
  throw error;
}
