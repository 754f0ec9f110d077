import { type Answer, sfError } from "./answer.ts";
import type { FakeRecordError } from "./options.ts";
import type { Planned, RecordOp, SObjectStore } from "./store.ts";

interface Item {
  sobject: string;
  op: RecordOp;
  values: Record<string, unknown>;
  key: { externalIdField?: string; id?: string };
  /** A refusal decided before planning (bad attributes, duplicate external ids). */
  error?: FakeRecordError | undefined;
}

const ROLLED_BACK: FakeRecordError = {
  statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
  message: "Record rolled back because not all records were valid and the request was using AllOrNone header",
  fields: [],
};

/** Creates (POST), updates (PATCH) or upserts (PATCH …/{SObject}/{ExternalIdField}) up to 200 records. */
export function saveCollection(
  store: SObjectStore,
  max: number,
  body: unknown,
  op: Exclude<RecordOp, "delete">,
  target?: { sobject: string; field: string },
): Answer {
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) return sfError(400, "JSON_PARSER_ERROR", "records must be a list");
  if (records.length > max) {
    return sfError(
      400,
      "EXCEEDED_ID_LIMIT",
      `record limit reached. cannot submit more than ${max} records into this call`,
      records.length,
      "too_large",
    );
  }
  if (target && !store.isExternalId(target.sobject, target.field)) {
    return sfError(
      400,
      "INVALID_FIELD",
      `Field name provided, ${target.field} is not an External ID or indexed field for ${target.sobject}`,
      records.length,
    );
  }
  const counts = new Map<string, number>();
  if (target)
    for (const record of records) bump(counts, String((record as Record<string, unknown>)[target.field] ?? ""));
  const items = records.map((raw): Item => {
    const { attributes, id, Id, ...values } = (raw ?? {}) as Record<string, unknown>;
    const sobject = String((attributes as { type?: unknown } | undefined)?.type ?? "");
    const item: Item = { sobject, op, values, key: { externalIdField: target?.field, id: String(id ?? Id ?? "") } };
    if (!sobject) item.error = { statusCode: "INVALID_TYPE", message: "Must send a concrete entity type.", fields: [] };
    else if (target && sobject !== target.sobject)
      item.error = {
        statusCode: "INVALID_TYPE",
        message: `Record type ${sobject} does not match ${target.sobject}`,
        fields: [],
      };
    const external = target ? String(values[target.field] ?? "") : "";
    if (target && external !== "" && (counts.get(external) ?? 0) > 1) {
      item.error = {
        statusCode: "DUPLICATE_EXTERNAL_ID",
        message: `Duplicate external id specified: ${external}`,
        fields: [target.field],
      };
    }
    return item;
  });
  return { status: 200, body: run(store, items, allOrNone(body), op === "upsert"), records: records.length };
}

/** `DELETE /composite/sobjects?ids=…&allOrNone=…`, up to 200 ids. */
export function deleteCollection(store: SObjectStore, max: number, url: URL): Answer {
  const ids = (url.searchParams.get("ids") ?? "").split(",").filter(Boolean);
  if (ids.length > max) {
    return sfError(
      400,
      "EXCEEDED_ID_LIMIT",
      `record limit reached. cannot submit more than ${max} records into this call`,
      ids.length,
      "too_large",
    );
  }
  const items = ids.map((id): Item => ({ sobject: store.typeOf(id) ?? "", op: "delete", values: {}, key: { id } }));
  for (const item of items) {
    if (!item.sobject)
      item.error = { statusCode: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", fields: [] };
  }
  const body = run(store, items, url.searchParams.get("allOrNone") === "true", false).map((result, index) => ({
    ...result,
    id: ids[index],
  }));
  return { status: 200, body, records: ids.length };
}

function run(store: SObjectStore, items: Item[], allOrNone: boolean, upsert: boolean) {
  const plan = (item: Item): Planned =>
    item.error ? { error: item.error } : store.plan(item.sobject, item.op, item.values, item.key);
  if (allOrNone) {
    const plans = items.map(plan);
    if (plans.some((planned) => "error" in planned)) {
      return plans.map((planned) => failure("error" in planned ? planned.error : ROLLED_BACK));
    }
    return plans.map((planned) => success("commit" in planned ? planned.commit() : { id: "", created: false }, upsert));
  }
  return items.map((item) => {
    const planned = plan(item);
    return "error" in planned ? failure(planned.error) : success(planned.commit(), upsert);
  });
}

function success(result: { id: string; created: boolean }, upsert: boolean) {
  return { id: result.id, success: true, errors: [], ...(upsert ? { created: result.created } : {}) };
}

function failure(error: FakeRecordError) {
  return {
    id: null,
    success: false,
    errors: [{ statusCode: error.statusCode, message: error.message, fields: error.fields ?? [] }],
  };
}

function allOrNone(body: unknown): boolean {
  return (body as { allOrNone?: unknown } | null)?.allOrNone === true;
}

function bump(counts: Map<string, number>, value: string): void {
  if (value !== "") counts.set(value, (counts.get(value) ?? 0) + 1);
}
