import type { DestinationContext, DestinationRecord, HttpResult, Outcome } from "syncline/sdk";
import { ok, reject, retry } from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";
import { firstError, intercomApi } from "./http.ts";

/**
 * ok only for the answer Intercom gives when it holds the change: the contact (with its id), or
 * for a deletion the contact marked deleted or archived; any other 2xx confirms nothing and is
 * retried. A refused record is rejected with Intercom's code; the rest throws.
 */
export function settle(
  ctx: DestinationContext<IntercomConfig>,
  record: DestinationRecord,
  response: HttpResult,
  deletedId?: string,
): Outcome {
  if (response.ok) {
    const body = (response.body ?? {}) as { id?: unknown; deleted?: unknown; archived?: unknown };
    if (deletedId !== undefined && body.id === deletedId && (body.deleted === true || body.archived === true)) {
      return ok(record, deletedId);
    }
    if (deletedId === undefined && typeof body.id === "string" && body.id !== "") return ok(record, body.id);
    return retry(record, {
      code: "malformed_response",
      message: `Intercom answered HTTP ${response.status} without the ${deletedId === undefined ? "contact" : "deleted contact"}`,
    });
  }
  const error = intercomApi.error(response, ctx);
  if (error.kind !== "permanent") throw error;
  const first = firstError(response.body);
  return reject(record, { code: first?.code ?? error.code, message: first?.message ?? error.message });
}
