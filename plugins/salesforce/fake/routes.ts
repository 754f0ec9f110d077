import { type Answer, sfError } from "./answer.ts";
import type { IngestJobs } from "./bulk.ts";
import { deleteCollection, saveCollection } from "./collections.ts";
import type { SObjectStore } from "./store.ts";

export interface RouteSettings {
  store: SObjectStore;
  jobs: IngestJobs;
  maxCollection: number;
  minApiVersion: number;
  usage: () => { used: number; max: number };
}

const DATA = /^\/services\/data\/v(\d+\.\d)\/(.*)$/;

/** The REST API under /services/data/vXX.X/ that the connector uses. */
export async function route(settings: RouteSettings, request: Request, url: URL): Promise<Answer> {
  const data = DATA.exec(url.pathname);
  if (!data) return sfError(404, "NOT_FOUND", "The requested resource does not exist");
  const version = data[1] as string;
  const rest = data[2] as string;
  const { store, jobs } = settings;
  const method = request.method;
  if (Number(version) < settings.minApiVersion)
    return sfError(404, "NOT_FOUND", `API version ${version} is not supported`);
  const parts = rest.split("/").map(decodeURIComponent);

  if (rest === "limits" && method === "GET") {
    const { used, max } = settings.usage();
    return { status: 200, body: { DailyApiRequests: { Max: max, Remaining: max - used } }, records: 0 };
  }
  if (rest === "sobjects" && method === "GET") {
    return {
      status: 200,
      body: { sobjects: Object.keys(store.types).map((name) => ({ name, createable: true, updateable: true })) },
      records: 0,
    };
  }
  if (parts[0] === "sobjects" && parts[2] === "describe" && method === "GET") return describe(store, parts[1] ?? "");
  if (parts[0] === "composite" && parts[1] === "sobjects") {
    if (parts.length === 4 && method === "PATCH") {
      if (Number(version) < 46)
        return sfError(404, "NOT_FOUND", "sObject Collections upsert needs API version 46.0 or later");
      const target = { sobject: parts[2] ?? "", field: parts[3] ?? "" };
      if (!store.types[target.sobject])
        return sfError(404, "NOT_FOUND", `The requested resource does not exist: ${target.sobject}`);
      return saveCollection(store, settings.maxCollection, await json(request), "upsert", target);
    }
    if (parts.length === 2 && method === "POST")
      return saveCollection(store, settings.maxCollection, await json(request), "insert");
    if (parts.length === 2 && method === "PATCH")
      return saveCollection(store, settings.maxCollection, await json(request), "update");
    if (parts.length === 2 && method === "DELETE") return deleteCollection(store, settings.maxCollection, url);
  }
  if (parts[0] === "jobs" && parts[1] === "ingest") {
    const id = parts[2] ?? "";
    if (parts.length === 2 && method === "POST") return jobs.create(await json(request), version);
    if (parts.length === 3 && method === "GET") return jobs.read(id);
    if (parts.length === 3 && method === "PATCH") return jobs.setState(id, await json(request));
    if (parts.length === 4 && parts[3] === "batches" && method === "PUT") return jobs.upload(id, await request.text());
    if (parts.length === 4 && method === "GET") return jobs.results(id, parts[3] ?? "");
  }
  return sfError(404, "NOT_FOUND", "The requested resource does not exist");
}

function describe(store: SObjectStore, name: string): Answer {
  const type = store.types[name];
  if (!type) return sfError(404, "NOT_FOUND", "The requested resource does not exist");
  const declared = Object.keys(type.describe ?? {});
  const fields = [...new Set([...store.fieldNames(name), ...declared])].map((field) => {
    const known = type.describe?.[field];
    return {
      name: field,
      type: known?.type ?? (field === "Id" ? "id" : /email$/i.test(field) ? "email" : "string"),
      length: known?.length ?? (field === "Id" ? 18 : known ? 0 : 255),
      nillable: !(type.required ?? []).includes(field),
      createable: field !== "Id",
      updateable: field !== "Id",
      externalId: type.externalIdFields.includes(field),
      defaultedOnCreate: known?.defaultedOnCreate ?? false,
      restrictedPicklist: known?.restrictedPicklist ?? false,
      picklistValues: (known?.picklistValues ?? []).map((value) => ({ value, label: value, active: true })),
    };
  });
  return { status: 200, body: { name, fields }, records: 0 };
}

async function json(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}
