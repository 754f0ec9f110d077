import type { FakeRecorder } from "syncline/sdk/testing";
import type { FakeRecordError, FakeSObjectType } from "./options.ts";
import { typedError } from "./typed.ts";

export interface StoredSObject {
  Id: string;
  type: string;
  fields: Record<string, unknown>;
  deleted: boolean;
}

export type RecordOp = "insert" | "update" | "upsert" | "delete";

/** A decided write: apply it, or the error that refuses it. */
export type Planned = { error: FakeRecordError } | { commit: () => { id: string; created: boolean } };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PREFIXES: Record<string, string> = { Account: "001", Contact: "003", Lead: "00Q", Opportunity: "006" };

/** The org's records by sObject type, with an index per external id field. */
export class SObjectStore {
  readonly types: Record<string, FakeSObjectType>;
  readonly #recorder: FakeRecorder;
  readonly #failRecord: ((sobject: string, values: Record<string, unknown>) => FakeRecordError | undefined) | undefined;
  #records = new Map<string, StoredSObject>();
  #external = new Map<string, string>();
  #seen = new Map<string, Set<string>>();
  #next = 1;
  /** Records still to fail with UNABLE_TO_LOCK_ROW. */
  lockedRows = 0;

  constructor(
    types: Record<string, FakeSObjectType>,
    recorder: FakeRecorder,
    failRecord?: (sobject: string, values: Record<string, unknown>) => FakeRecordError | undefined,
  ) {
    this.types = types;
    this.#recorder = recorder;
    this.#failRecord = failRecord;
  }

  isExternalId(sobject: string, field: string): boolean {
    return this.types[sobject]?.externalIdFields.includes(field) ?? false;
  }

  /** Decides one record's write without applying it. */
  plan(
    sobject: string,
    op: RecordOp,
    values: Record<string, unknown>,
    key: { externalIdField?: string; id?: string },
  ): Planned {
    const type = this.types[sobject];
    if (!type) return fail("INVALID_TYPE", `sObject type '${sobject}' is not supported.`);
    if (this.lockedRows > 0) {
      this.lockedRows--;
      return fail("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records");
    }
    const injected = this.#failRecord?.(sobject, values);
    if (injected) return { error: { fields: [], ...injected } };
    let existing: StoredSObject | undefined;
    if (op === "update" || op === "delete") {
      const found = this.#records.get(key.id ?? "");
      if (!found || found.type !== sobject) return fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
      if (found.deleted) return fail("ENTITY_IS_DELETED", "entity is deleted");
      existing = found;
      if (op === "delete") return { commit: () => this.#delete(sobject, found) };
    }
    if (op === "upsert") {
      const field = key.externalIdField ?? "";
      const value = values[field];
      if (value === undefined || value === null || value === "") {
        return fail("MISSING_ARGUMENT", `${field} not specified`, [field]);
      }
      existing = this.findByExternalId(sobject, field, String(value));
    }
    const invalid = this.#validate(sobject, type, values, existing === undefined);
    if (invalid) return { error: invalid };
    const target = existing;
    return { commit: () => (target ? this.#update(sobject, target, values) : this.#create(sobject, values)) };
  }

  /** The sObject type of a record id, if the org has it. */
  typeOf(id: string): string | undefined {
    return this.#records.get(id)?.type;
  }

  findByExternalId(sobject: string, field: string, value: string): StoredSObject | undefined {
    const id = this.#external.get(`${sobject}.${field}=${value}`);
    const record = id ? this.#records.get(id) : undefined;
    return record && !record.deleted ? record : undefined;
  }

  /** Live records of a type, in creation order. */
  list(sobject: string): StoredSObject[] {
    return [...this.#records.values()].filter((record) => !record.deleted && record.type === sobject);
  }

  fieldNames(sobject: string): string[] {
    const type = this.types[sobject];
    const names = new Set([
      "Id",
      ...(type?.externalIdFields ?? []),
      ...(type?.required ?? []),
      ...(type?.fields ?? []),
    ]);
    for (const name of this.#seen.get(sobject) ?? []) names.add(name);
    return [...names];
  }

  clear(): void {
    this.#records.clear();
    this.#external.clear();
  }

  #validate(
    sobject: string,
    type: FakeSObjectType,
    values: Record<string, unknown>,
    creating: boolean,
  ): FakeRecordError | undefined {
    for (const [field, value] of Object.entries(values)) {
      if (type.fields && !type.fields.includes(field) && field !== "Id") {
        return {
          statusCode: "INVALID_FIELD",
          message: `No such column '${field}' on sobject of type ${sobject}`,
          fields: [field],
        };
      }
      const described = type.describe?.[field];
      const typed = described ? typedError(field, described, value) : undefined;
      if (typed) return typed;
      if (/email$/i.test(field) && typeof value === "string" && value !== "" && !EMAIL.test(value)) {
        return {
          statusCode: "INVALID_EMAIL_ADDRESS",
          message: `${field}: invalid email address: ${value}`,
          fields: [field],
        };
      }
    }
    if (creating) {
      const missing = (type.required ?? []).filter(
        (field) => values[field] === undefined || values[field] === null || values[field] === "",
      );
      if (missing.length) {
        return {
          statusCode: "REQUIRED_FIELD_MISSING",
          message: `Required fields are missing: [${missing.join(", ")}]`,
          fields: missing,
        };
      }
      for (const field of type.externalIdFields) {
        const value = values[field];
        const holder =
          value === undefined || value === null ? undefined : this.findByExternalId(sobject, field, String(value));
        if (holder) {
          return {
            statusCode: "DUPLICATE_VALUE",
            message: `duplicate value found: ${field} duplicates value on record with id: ${holder.Id}`,
            fields: [field],
          };
        }
      }
    }
    return undefined;
  }

  #create(sobject: string, values: Record<string, unknown>) {
    const prefix = PREFIXES[sobject] ?? "a0X";
    const Id = `${prefix}Fk${(this.#next++).toString(36).padStart(10, "0")}AAA`;
    const record: StoredSObject = { Id, type: sobject, fields: {}, deleted: false };
    this.#records.set(Id, record);
    this.#assign(sobject, record, values);
    this.#recorder.write({ object: sobject, op: "create", id: Id, values: { ...values } });
    return { id: Id, created: true };
  }

  #update(sobject: string, record: StoredSObject, values: Record<string, unknown>) {
    this.#assign(sobject, record, values);
    this.#recorder.write({ object: sobject, op: "update", id: record.Id, values: { ...values } });
    return { id: record.Id, created: false };
  }

  #delete(sobject: string, record: StoredSObject) {
    record.deleted = true;
    for (const field of this.types[sobject]?.externalIdFields ?? []) {
      const value = record.fields[field];
      if (value !== undefined && value !== null) this.#external.delete(`${sobject}.${field}=${String(value)}`);
    }
    this.#recorder.write({ object: sobject, op: "delete", id: record.Id, values: {} });
    return { id: record.Id, created: false };
  }

  #assign(sobject: string, record: StoredSObject, values: Record<string, unknown>): void {
    const seen = this.#seen.get(sobject) ?? new Set<string>();
    this.#seen.set(sobject, seen);
    for (const [field, value] of Object.entries(values)) {
      if (field === "Id" || field === "attributes") continue;
      seen.add(field);
      if (this.isExternalId(sobject, field)) {
        const previous = record.fields[field];
        if (previous !== undefined && previous !== null)
          this.#external.delete(`${sobject}.${field}=${String(previous)}`);
        if (value !== null && value !== undefined)
          this.#external.set(`${sobject}.${field}=${String(value)}`, record.Id);
      }
      record.fields[field] = value;
    }
  }
}

function fail(statusCode: string, message: string, fields: string[] = []): Planned {
  return { error: { statusCode, message, fields } };
}
