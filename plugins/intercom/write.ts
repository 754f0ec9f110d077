import type { DestinationContext, DestinationRecord, Outcome, WriteBatch } from "syncline/sdk";
import { ok, reject, sendInTurns } from "syncline/sdk";
import { contactBody } from "./body.ts";
import type { IntercomConfig } from "./config.ts";
import { DATE_ATTRIBUTES } from "./discover.ts";
import { firstError, intercomApi } from "./http.ts";
import { findContact, matchOf } from "./match.ts";
import { settle } from "./settle.ts";

/**
 * Writes contacts one call at a time (Intercom has no batch endpoint): by the remote id when
 * known, else found by external_id or email, then updated (PUT) or created (POST).
 */
export async function writeBatch(ctx: DestinationContext<IntercomConfig>, batch: WriteBatch): Promise<Outcome[]> {
  return sendInTurns(batch.records, 1, async ([record]) => [await writeOne(ctx, batch, record!)]);
}

async function writeOne(
  ctx: DestinationContext<IntercomConfig>,
  batch: WriteBatch,
  record: DestinationRecord,
): Promise<Outcome> {
  const role = typeof batch.options.role === "string" ? batch.options.role : undefined;
  if (batch.operation === "delete") return remove(ctx, record);
  const dates = ctx.state.get(DATE_ATTRIBUTES) as Set<string> | undefined;
  const body = contactBody(record.fields, batch.operation === "update" ? undefined : (role ?? "user"), dates);
  if (batch.operation === "insert")
    return settle(ctx, record, await intercomApi.call(ctx, "POST", "contacts", { json: body }));
  if (record.remoteId) {
    const updated = await intercomApi.call(ctx, "PUT", `contacts/${encodeURIComponent(record.remoteId)}`, {
      json: body,
    });
    if (updated.status !== 404) return settle(ctx, record, updated);
  }
  const match = matchOf(record, batch.options.matchBy);
  if (!match) {
    return reject(record, {
      code: "missing_id",
      message: "the record has neither external_id nor email to find its Intercom contact by; map one of them",
    });
  }
  const id = await findContact(ctx, match, role);
  if (id)
    return settle(
      ctx,
      record,
      await intercomApi.call(ctx, "PUT", `contacts/${encodeURIComponent(id)}`, { json: body }),
    );
  if (batch.operation === "update") {
    return reject(record, {
      code: "not_found",
      message: `no Intercom contact has ${match.field} ${JSON.stringify(match.value)}`,
    });
  }
  return settle(ctx, record, await intercomApi.call(ctx, "POST", "contacts", { json: body }));
}

async function remove(ctx: DestinationContext<IntercomConfig>, record: DestinationRecord): Promise<Outcome> {
  let id = record.remoteId;
  if (!id) {
    const match = matchOf(record, undefined);
    if (!match) {
      return reject(record, {
        code: "missing_id",
        message: "cannot delete: no Intercom contact id is known for this record",
      });
    }
    id = await findContact(ctx, match, undefined);
    if (!id) return ok(record);
  }
  const path = `contacts/${encodeURIComponent(id)}`;
  const response =
    ctx.config.deleteMode === "archive"
      ? await intercomApi.call(ctx, "POST", `${path}/archive`)
      : await intercomApi.call(ctx, "DELETE", path);
  // Already gone, as Intercom itself says (not a 404 from something in between).
  if (response.status === 404 && firstError(response.body)?.code === "not_found") return ok(record, id);
  return settle(ctx, record, response, id);
}
