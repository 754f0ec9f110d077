import type { FakeRecorder } from "syncline/sdk/testing";
import type { FakeObjectType } from "./options.ts";

export interface StoredRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** HubSpot's records, by object type, with an index per unique property. */
export class HubSpotStore {
  readonly types: Record<string, FakeObjectType>;
  readonly #recorder: FakeRecorder;
  #records = new Map<string, Map<string, StoredRecord>>();
  #unique = new Map<string, Map<string, string>>();
  #seenProperties = new Map<string, Set<string>>();
  #nextId = 1001;

  constructor(types: Record<string, FakeObjectType>, recorder: FakeRecorder) {
    this.types = types;
    this.#recorder = recorder;
  }

  /** The canonical object name for a path segment (`contacts`, `0-1`, `p_widgets`, `2-12345`). */
  resolve(objectType: string): string | undefined {
    if (this.types[objectType]) return objectType;
    return Object.entries(this.types).find(([, type]) => type.objectTypeId === objectType)?.[0];
  }

  isUnique(object: string, property: string): boolean {
    return property === "hs_object_id" || (this.types[object]?.uniqueProperties.includes(property) ?? false);
  }

  get(object: string, id: string): StoredRecord | undefined {
    const record = this.#table(object).get(id);
    return record && !record.archived ? record : undefined;
  }

  findBy(object: string, property: string, value: string): StoredRecord | undefined {
    if (property === "hs_object_id") return this.get(object, value);
    const id = this.#unique.get(`${object}\u0000${property}`)?.get(normalise(property, value));
    return id ? this.get(object, id) : undefined;
  }

  create(object: string, properties: Record<string, string>): StoredRecord {
    const now = new Date().toISOString();
    const id = String(this.#nextId++);
    const record: StoredRecord = { id, properties: {}, createdAt: now, updatedAt: now, archived: false };
    this.#table(object).set(id, record);
    this.#apply(object, record, properties);
    this.#recorder.write({ object, op: "create", id, values: { ...record.properties } });
    return record;
  }

  update(object: string, record: StoredRecord, properties: Record<string, string>): StoredRecord {
    record.updatedAt = new Date().toISOString();
    this.#apply(object, record, properties);
    this.#recorder.write({ object, op: "update", id: record.id, values: { ...properties } });
    return record;
  }

  archive(object: string, id: string): void {
    const record = this.get(object, id);
    if (!record) return;
    record.archived = true;
    for (const property of this.types[object]?.uniqueProperties ?? []) {
      const value = record.properties[property];
      if (value) this.#unique.get(`${object}\u0000${property}`)?.delete(normalise(property, value));
    }
    this.#recorder.write({ object, op: "delete", id, values: {} });
  }

  /** Records not archived, in creation order. */
  list(object: string): StoredRecord[] {
    return [...this.#table(object).values()].filter((record) => !record.archived);
  }

  propertyNames(object: string): string[] {
    return [...(this.#seenProperties.get(object) ?? [])].sort();
  }

  clear(): void {
    this.#records.clear();
    this.#unique.clear();
  }

  #apply(object: string, record: StoredRecord, properties: Record<string, string>): void {
    const seen = this.#seenProperties.get(object) ?? new Set(this.types[object]?.uniqueProperties ?? []);
    this.#seenProperties.set(object, seen);
    for (const [name, raw] of Object.entries(properties)) {
      const value = normalise(name, raw);
      seen.add(name);
      if (this.isUnique(object, name) && name !== "hs_object_id") {
        const index = this.#unique.get(`${object}\u0000${name}`) ?? new Map<string, string>();
        this.#unique.set(`${object}\u0000${name}`, index);
        const previous = record.properties[name];
        if (previous) index.delete(normalise(name, previous));
        if (value !== "") index.set(value, record.id);
      }
      record.properties[name] = value;
    }
    record.properties.hs_object_id = record.id;
  }

  #table(object: string): Map<string, StoredRecord> {
    let table = this.#records.get(object);
    if (!table) {
      table = new Map();
      this.#records.set(object, table);
    }
    return table;
  }
}

/** HubSpot stores emails lower-cased and compares them so. */
export function normalise(property: string, value: string): string {
  return property === "email" ? value.trim().toLowerCase() : value;
}
