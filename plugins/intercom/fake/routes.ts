import { customTypes, fitsType, type IntercomFakeOptions } from "./options.ts";
import type { ContactStore, StoredContact } from "./store.ts";

export interface Answer {
  status: number;
  body: unknown;
  records: number;
  refused?: string | undefined;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const CONTACT = /^\/contacts\/([^/]+)$/;
const ARCHIVE = /^\/contacts\/([^/]+)\/archive$/;

/** Intercom's error body. */
export function intercomError(status: number, code: string, message: string, refused?: string): Answer {
  return {
    status,
    body: { type: "error.list", request_id: crypto.randomUUID(), errors: [{ code, message }] },
    records: 0,
    refused,
  };
}

/** The contacts endpoints the connector uses (plus /me and data attributes). */
export async function route(
  store: ContactStore,
  options: IntercomFakeOptions,
  request: Request,
  url: URL,
): Promise<Answer> {
  const { pathname } = url;
  const method = request.method;
  if (pathname === "/me" && method === "GET") {
    return {
      status: 200,
      body: {
        type: "admin",
        id: "1",
        email: "admin@example.com",
        name: "Fake Admin",
        app: { type: "app", id_code: "fakeapp1", name: "Fake" },
      },
      records: 0,
    };
  }
  if (pathname === "/data_attributes" && method === "GET")
    return { status: 200, body: attributes(options), records: 0 };
  if (pathname === "/contacts/search" && method === "POST") return search(store, await json(request));
  if (pathname === "/contacts" && method === "POST") {
    const body = await json(request);
    if (!isObject(body)) return intercomError(400, "parameter_invalid", "Request body must be a single contact object");
    const role = String(body.role ?? "user");
    const invalid = validate(options, body, role);
    if (invalid) return invalid;
    const holder = store.conflict(body, role);
    if (holder)
      return intercomError(409, "conflict", `A contact matching those details already exists with id=${holder.id}`);
    return { status: 200, body: view(store.create({ ...body, role })), records: 1 };
  }
  const archive = ARCHIVE.exec(pathname);
  if (archive && method === "POST") {
    const contact = store.get(decodeURIComponent(archive[1] ?? ""));
    if (!contact) return intercomError(404, "not_found", "User Not Found");
    store.remove(contact);
    return {
      status: 200,
      body: { id: contact.id, external_id: contact.external_id, type: "contact", archived: true },
      records: 1,
    };
  }
  const one = CONTACT.exec(pathname);
  if (one) {
    const contact = store.get(decodeURIComponent(one[1] ?? ""));
    if (!contact) return intercomError(404, "not_found", "User Not Found");
    if (method === "GET") return { status: 200, body: view(contact), records: 0 };
    if (method === "DELETE") {
      store.remove(contact);
      return {
        status: 200,
        body: { id: contact.id, external_id: contact.external_id, type: "contact", deleted: true },
        records: 1,
      };
    }
    if (method === "PUT") {
      const body = await json(request);
      if (!isObject(body)) return intercomError(400, "parameter_invalid", "Request body must be a contact object");
      const role = String(body.role ?? contact.role);
      const invalid = validate(options, body, role, contact);
      if (invalid) return invalid;
      const holder = store.conflict(body, role, contact.id);
      if (holder)
        return intercomError(409, "conflict", `A contact matching those details already exists with id=${holder.id}`);
      return { status: 200, body: view(store.update(contact, body)), records: 1 };
    }
  }
  return intercomError(404, "not_found", "Resource Not Found");
}

function validate(
  options: IntercomFakeOptions,
  body: Record<string, unknown>,
  role: string,
  existing?: StoredContact,
): Answer | undefined {
  if (role !== "user" && role !== "lead")
    return intercomError(400, "parameter_invalid", `Role must be user or lead, got ${role}`);
  if (body.email != null && !EMAIL.test(String(body.email)))
    return intercomError(400, "parameter_invalid", "Email address is invalid");
  if (!existing && role === "user" && body.email == null && body.external_id == null) {
    return intercomError(400, "parameter_invalid", "A user must have an email or an external_id");
  }
  const values = isObject(body.custom_attributes) ? body.custom_attributes : {};
  const types = customTypes(options);
  if (types) {
    const unknown = Object.keys(values).find((name) => !types[name]);
    if (unknown) return intercomError(400, "parameter_not_found", `Custom attribute '${unknown}' does not exist`);
    const wrong = Object.entries(values).find(([name, value]) => !fitsType(types[name]!, value));
    if (wrong)
      return intercomError(
        400,
        "parameter_invalid",
        `Custom attribute '${wrong[0]}' must be of type ${types[wrong[0]]}, got ${JSON.stringify(wrong[1])}`,
      );
  }
  const message = options.validate?.(body);
  return message ? intercomError(400, "parameter_invalid", message) : undefined;
}

type Query = { field?: unknown; operator?: unknown; value?: unknown };

function search(store: ContactStore, body: unknown): Answer {
  const query = (body as { query?: Query } | undefined)?.query;
  if (!query) return intercomError(400, "parameter_invalid", "query is required");
  const data = store
    .list()
    .filter((contact) => matches(contact, query))
    .map(view);
  return {
    status: 200,
    body: {
      type: "list",
      data,
      total_count: data.length,
      pages: { type: "pages", page: 1, per_page: 50, total_pages: data.length ? 1 : 0 },
    },
    records: 0,
  };
}

function matches(contact: StoredContact, query: Query): boolean {
  if (query.operator === "AND" || query.operator === "OR") {
    const parts = Array.isArray(query.value) ? (query.value as Query[]) : [];
    return query.operator === "AND"
      ? parts.every((part) => matches(contact, part))
      : parts.some((part) => matches(contact, part));
  }
  const field = String(query.field ?? "");
  const actual = field.startsWith("custom_attributes.") ? contact.custom_attributes[field.slice(18)] : contact[field];
  const expected = field === "email" ? String(query.value).toLowerCase() : query.value;
  if (query.operator === "=") return actual === expected || String(actual) === String(expected);
  if (query.operator === "!=") return String(actual) !== String(expected);
  return false;
}

function attributes(options: IntercomFakeOptions) {
  const standard = ["name", "email", "phone", "external_id", "role", "signed_up_at", "last_seen_at", "owner_id"].map(
    (name) => ({
      type: "data_attribute",
      name,
      full_name: name,
      data_type: name.endsWith("_at") ? "date" : "string",
      custom: false,
      api_writable: true,
    }),
  );
  const custom = Object.entries(customTypes(options) ?? {}).map(([name, dataType]) => ({
    type: "data_attribute",
    name,
    full_name: `custom_attributes.${name}`,
    data_type: dataType,
    custom: true,
    api_writable: true,
  }));
  return { type: "list", data: [...standard, ...custom] };
}

function view(contact: StoredContact): Record<string, unknown> {
  const { archived: _archived, ...rest } = contact;
  return structuredClone(rest);
}

async function json(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
