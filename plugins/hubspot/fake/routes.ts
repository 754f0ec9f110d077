import { archive, type BatchInput, type BatchSettings, create, read, refuse, update, upsert } from "./batch.ts";
import type { HubSpotStore } from "./store.ts";

export interface Routed {
  status: number;
  body?: unknown;
  /** Records the call carried. */
  records: number;
  refused?: string | undefined;
}

export interface RouteSettings {
  store: HubSpotStore;
  maxBatch: number;
  invalidMode: BatchSettings["invalidMode"];
  validate?: BatchSettings["validate"];
}

const BATCH = /^\/crm\/v3\/objects\/([^/]+)\/batch\/(upsert|create|update|archive|read)$/;
const LIST = /^\/crm\/v3\/objects\/([^/]+)$/;
const PROPERTIES = /^\/crm\/v3\/properties\/([^/]+)$/;

/** HubSpot's CRM v3 endpoints the connector uses, on the fake's store. */
export async function route(settings: RouteSettings, request: Request, url: URL): Promise<Routed> {
  const { store } = settings;
  const batch = BATCH.exec(url.pathname);
  if (batch && request.method === "POST") {
    const object = store.resolve(decodeURIComponent(batch[1] ?? ""));
    if (!object) return { ...refuse(`Unable to infer object type from: ${batch[1]}`, "OBJECT_NOT_FOUND"), records: 0 };
    const body = await readJson(request);
    const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) return { ...refuse("Invalid input JSON: inputs must be an array"), records: 0 };
    if (inputs.length > settings.maxBatch) {
      return {
        ...refuse(`Batch input has ${inputs.length} items; the limit is ${settings.maxBatch}`),
        records: inputs.length,
        refused: "too_large",
      };
    }
    const batchSettings: BatchSettings = {
      store,
      object,
      invalidMode: settings.invalidMode,
      validate: settings.validate,
    };
    const typed = inputs as BatchInput[];
    const answer = (() => {
      switch (batch[2]) {
        case "upsert":
          return upsert(batchSettings, typed);
        case "create":
          return create(batchSettings, typed);
        case "update":
          return update(batchSettings, typed);
        case "archive":
          return archive(batchSettings, typed);
        default:
          return read(batchSettings, typed, (body as { idProperty?: unknown }).idProperty);
      }
    })();
    return { ...answer, records: inputs.length };
  }
  const list = LIST.exec(url.pathname);
  if (list && request.method === "GET") {
    const object = store.resolve(decodeURIComponent(list[1] ?? ""));
    if (!object) return { ...refuse(`Unable to infer object type from: ${list[1]}`, "OBJECT_NOT_FOUND"), records: 0 };
    const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 10) || 10);
    const results = store
      .list(object)
      .slice(0, limit)
      .map((record) => ({ ...record }));
    return { status: 200, body: { results }, records: 0 };
  }
  const properties = PROPERTIES.exec(url.pathname);
  if (properties && request.method === "GET") {
    const object = store.resolve(decodeURIComponent(properties[1] ?? ""));
    if (!object)
      return { ...refuse(`Unable to infer object type from: ${properties[1]}`, "OBJECT_NOT_FOUND"), records: 0 };
    return { status: 200, body: { results: describe(store, object) }, records: 0 };
  }
  if (url.pathname === "/crm/v3/schemas" && request.method === "GET") {
    const results = Object.entries(store.types)
      .filter(([, type]) => type.objectTypeId.startsWith("2-"))
      .map(([name, type]) => ({
        name: name.replace(/^p_/, ""),
        fullyQualifiedName: name,
        objectTypeId: type.objectTypeId,
        requiredProperties: type.required ?? [],
        properties: describe(store, name),
      }));
    return { status: 200, body: { results }, records: 0 };
  }
  return { ...refuse(`No route for ${request.method} ${url.pathname}`, "OBJECT_NOT_FOUND", 404), records: 0 };
}

function describe(store: HubSpotStore, object: string) {
  const defined = store.types[object]?.properties ?? {};
  const names = new Set([...Object.keys(defined), ...store.propertyNames(object), "hs_object_id"]);
  return [...names].map((name) => {
    const property = defined[name];
    return {
      name,
      label: name,
      type: property?.type ?? "string",
      fieldType: property?.fieldType ?? "text",
      options: (property?.options ?? []).map((value) => ({ label: value, value, hidden: false })),
      hasUniqueValue: store.isUnique(object, name),
      modificationMetadata: { readOnlyValue: name === "hs_object_id" || property?.readOnly === true },
    };
  });
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}
