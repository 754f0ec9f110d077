import type { HubSpotStore, StoredRecord } from "./store.ts";
import { invalidReason, toStrings } from "./validate.ts";

export interface BatchInput {
  id?: unknown;
  idProperty?: unknown;
  properties?: unknown;
  objectWriteTraceId?: unknown;
}

export interface BatchSettings {
  store: HubSpotStore;
  object: string;
  invalidMode: "multi-status" | "reject-batch";
  validate?: ((object: string, properties: Record<string, string>) => string | undefined) | undefined;
}

export interface Answer {
  status: number;
  body?: unknown;
}

interface RecordError {
  status: "error";
  category: string;
  message: string;
  context: Record<string, string[]>;
}

/** A step that either prepares a write for one input or refuses it. */
type Step = { apply: () => Record<string, unknown> } | { error: RecordError };

/** `batch/upsert`: create or update by the input's unique `idProperty` value. */
export function upsert(settings: BatchSettings, inputs: BatchInput[]): Answer {
  const { store, object } = settings;
  const properties = inputs.map((input) => String(input.idProperty ?? ""));
  const notUnique = properties.find((property) => !store.isUnique(object, property));
  if (notUnique !== undefined) {
    return refuse(
      `Property "${notUnique}" can't be used as idProperty: it does not exist or doesn't have unique values`,
    );
  }
  const duplicate = firstDuplicate(
    inputs.map((input, index) => `${properties[index]}=${normaliseFor(properties[index], input.id)}`),
  );
  if (duplicate) return refuse(`Duplicate IDs found in batch input: [${duplicate.split("=").slice(1).join("=")}]`);
  return run(settings, inputs, 200, (input, values) => {
    const idProperty = String(input.idProperty);
    const id = String(input.id ?? "");
    const existing = store.findBy(object, idProperty, id);
    const merged = { ...values, [idProperty]: values[idProperty] ?? id };
    const error = invalidReason(store, object, merged, !existing, settings.validate);
    if (error) return { error: recordError("VALIDATION_ERROR", error, { ids: [id] }) };
    return {
      apply: () => {
        const record = existing ? store.update(object, existing, merged) : store.create(object, merged);
        return { ...view(record), new: !existing };
      },
    };
  });
}

/** `batch/create`: new records; a unique value already held is a conflict. */
export function create(settings: BatchSettings, inputs: BatchInput[]): Answer {
  const { store, object } = settings;
  return run(settings, inputs, 201, (input, values) => {
    const trace: Record<string, string[]> =
      typeof input.objectWriteTraceId === "string" ? { objectWriteTraceId: [input.objectWriteTraceId] } : {};
    for (const property of store.types[object]?.uniqueProperties ?? []) {
      const value = values[property];
      const holder = value ? store.findBy(object, property, value) : undefined;
      if (holder) return { error: recordError("CONFLICT", `Object already exists. Existing ID: ${holder.id}`, trace) };
    }
    const error = invalidReason(store, object, values, true, settings.validate);
    if (error) return { error: recordError("VALIDATION_ERROR", error, trace) };
    return { apply: () => view(store.create(object, values)) };
  });
}

/** `batch/update`: existing records, by id or by the input's `idProperty` value. */
export function update(settings: BatchSettings, inputs: BatchInput[]): Answer {
  const { store, object } = settings;
  return run(settings, inputs, 200, (input, values) => {
    const id = String(input.id ?? "");
    const existing =
      typeof input.idProperty === "string" ? store.findBy(object, input.idProperty, id) : store.get(object, id);
    if (!existing)
      return { error: recordError("OBJECT_NOT_FOUND", `Could not find object with id ${id}`, { ids: [id] }) };
    const error = invalidReason(store, object, values, false, settings.validate);
    if (error) return { error: recordError("VALIDATION_ERROR", error, { ids: [id] }) };
    return { apply: () => view(store.update(object, existing, values)) };
  });
}

/** `batch/archive`: 204 whatever the ids' state. */
export function archive(settings: BatchSettings, inputs: BatchInput[]): Answer {
  for (const input of inputs) settings.store.archive(settings.object, String(input.id ?? ""));
  return { status: 204 };
}

/** `batch/read`: by id or `idProperty`; missing records are 207 errors. */
export function read(settings: BatchSettings, inputs: BatchInput[], idProperty: unknown): Answer {
  const { store, object } = settings;
  const results: Record<string, unknown>[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const id = String(input.id ?? "");
    const record = typeof idProperty === "string" ? store.findBy(object, idProperty, id) : store.get(object, id);
    if (record) results.push(view(record));
    else missing.push(id);
  }
  const errors = missing.length
    ? [recordError("OBJECT_NOT_FOUND", "Could not get some records", { ids: missing })]
    : [];
  return { status: errors.length ? 207 : 200, body: complete(results, errors) };
}

function run(
  settings: BatchSettings,
  inputs: BatchInput[],
  okStatus: number,
  step: (input: BatchInput, values: Record<string, string>) => Step,
): Answer {
  const steps = inputs.map((input): Step => {
    const values = toStrings(input.properties);
    if (!values) return { error: recordError("VALIDATION_ERROR", "properties must be an object", {}) };
    return step(input, values);
  });
  const errors = steps.flatMap((item) => ("error" in item ? [item.error] : []));
  if (errors.length > 0 && settings.invalidMode === "reject-batch") {
    const [first] = errors;
    return {
      status: 400,
      body: { status: "error", category: first?.category, message: first?.message, context: first?.context },
    };
  }
  const results = steps.flatMap((item, index) => {
    if ("error" in item) return [];
    const trace = inputs[index]?.objectWriteTraceId;
    return [{ ...item.apply(), ...(typeof trace === "string" ? { objectWriteTraceId: trace } : {}) }];
  });
  return { status: errors.length ? 207 : okStatus, body: complete(results, errors) };
}

function view(record: StoredRecord): Record<string, unknown> {
  return {
    id: record.id,
    properties: { ...record.properties },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
  };
}

function complete(results: unknown[], errors: RecordError[]): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    status: "COMPLETE",
    results,
    ...(errors.length ? { errors, numErrors: errors.length } : {}),
    startedAt: now,
    completedAt: now,
  };
}

function recordError(category: string, message: string, context: Record<string, string[]>): RecordError {
  return { status: "error", category, message, context };
}

export function refuse(message: string, category = "VALIDATION_ERROR", status = 400): Answer {
  return { status, body: { status: "error", message, correlationId: crypto.randomUUID(), category } };
}

function firstDuplicate(values: string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

function normaliseFor(property: string | undefined, id: unknown): string {
  const text = String(id ?? "");
  return property === "email" ? text.trim().toLowerCase() : text;
}
