import { randomBytes } from "node:crypto";
import type { FakeRecorder } from "syncline/sdk/testing";

export interface StoredContact {
  type: "contact";
  id: string;
  workspace_id: string;
  role: string;
  external_id: string | null;
  email: string | null;
  name: string | null;
  phone: string | null;
  custom_attributes: Record<string, unknown>;
  created_at: number;
  updated_at: number;
  archived: boolean;
  [attribute: string]: unknown;
}

/** Intercom contacts, with external_id unique and email unique among users. */
export class ContactStore {
  readonly #contacts = new Map<string, StoredContact>();
  readonly #recorder: FakeRecorder;

  constructor(recorder: FakeRecorder) {
    this.#recorder = recorder;
  }

  get(id: string): StoredContact | undefined {
    const contact = this.#contacts.get(id);
    return contact && !contact.archived ? contact : undefined;
  }

  /** Live contacts, in creation order. */
  list(): StoredContact[] {
    return [...this.#contacts.values()].filter((contact) => !contact.archived);
  }

  /** The contact that already holds this external_id, or this email as a user. */
  conflict(attributes: Record<string, unknown>, role: string, except?: string): StoredContact | undefined {
    return this.list().find(
      (contact) =>
        contact.id !== except &&
        ((attributes.external_id != null && contact.external_id === String(attributes.external_id)) ||
          (role === "user" &&
            contact.role === "user" &&
            attributes.email != null &&
            contact.email === String(attributes.email).toLowerCase())),
    );
  }

  create(attributes: Record<string, unknown>): StoredContact {
    const now = Math.floor(Date.now() / 1000);
    const contact: StoredContact = {
      type: "contact",
      id: randomBytes(12).toString("hex"),
      workspace_id: "fakeapp1",
      role: "user",
      external_id: null,
      email: null,
      name: null,
      phone: null,
      custom_attributes: {},
      created_at: now,
      updated_at: now,
      archived: false,
    };
    this.#contacts.set(contact.id, contact);
    assign(contact, attributes);
    this.#recorder.write({ object: "contacts", op: "create", id: contact.id, values: attributes });
    return contact;
  }

  update(contact: StoredContact, attributes: Record<string, unknown>): StoredContact {
    assign(contact, attributes);
    contact.updated_at = Math.floor(Date.now() / 1000);
    this.#recorder.write({ object: "contacts", op: "update", id: contact.id, values: attributes });
    return contact;
  }

  remove(contact: StoredContact): void {
    contact.archived = true;
    this.#recorder.write({ object: "contacts", op: "delete", id: contact.id, values: {} });
  }

  clear(): void {
    this.#contacts.clear();
  }
}

function assign(contact: StoredContact, attributes: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "custom_attributes" && value && typeof value === "object") {
      Object.assign(contact.custom_attributes, value);
    } else if (name === "email") {
      contact.email = value == null ? null : String(value).toLowerCase();
    } else if (name !== "id" && name !== "type") {
      contact[name] = value;
    }
  }
}
