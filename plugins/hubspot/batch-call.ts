import { type DestinationContext, type Outcome, reject } from "syncline/sdk";
import type { HubSpotConfig } from "./config.ts";
import { type HubSpotErrorBody, hubspotApi } from "./http.ts";
import type { Plan } from "./plan.ts";
import { mapBatchResponse } from "./results.ts";

/**
 * Sends a planned batch to one of the `batch/*` endpoints and returns an outcome per sent
 * record. A refused call throws (the engine retries or splits); a refused one-record call
 * rejects that record with HubSpot's own category and message.
 */
export async function sendPlan(
  ctx: DestinationContext<HubSpotConfig>,
  path: string,
  plan: Plan,
  idProperty: string | undefined,
): Promise<Outcome[]> {
  if (plan.sent.length === 0) return [];
  const response = await hubspotApi.call(ctx, "POST", path, { json: { inputs: plan.inputs } });
  if (response.ok) return mapBatchResponse(plan.sent, response.body, idProperty);
  const error = hubspotApi.error(response, ctx);
  const [only] = plan.sent;
  if (error.kind === "permanent" && plan.sent.length === 1 && only) {
    const body = (response.body ?? {}) as HubSpotErrorBody;
    return [
      reject(only.record, {
        code: body.category ?? error.code,
        message: body.message ?? error.message,
      }),
    ];
  }
  throw error;
}

export function objectPath(object: string, action: string): string {
  return `crm/v3/objects/${encodeURIComponent(object)}/batch/${action}`;
}
