import { randomBytes } from "node:crypto";
import type { FakeRecorder } from "syncline/sdk/testing";

export interface UserAlias {
  alias_name: string;
  alias_label: string;
}

export interface StoredUser {
  braze_id: string;
  external_id: string | null;
  user_aliases: UserAlias[];
  /** Every attribute Braze holds for the user, standard and custom. */
  attributes: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** How an attributes object or a delete names its user. */
export type Identifier =
  | { kind: "external_id"; value: string }
  | { kind: "user_alias"; value: UserAlias }
  | { kind: "braze_id"; value: string };

/** Braze user profiles, found by external_id, alias (name and label) or braze_id. */
export class UserStore {
  readonly #users = new Map<string, StoredUser>();
  /** braze_id by external_id, and by alias (`label\u0000name`). */
  readonly #byExternalId = new Map<string, string>();
  readonly #byAlias = new Map<string, string>();
  readonly #recorder: FakeRecorder;

  constructor(recorder: FakeRecorder) {
    this.#recorder = recorder;
  }

  find(id: Identifier): StoredUser | undefined {
    if (id.kind === "braze_id") return this.#users.get(id.value);
    const brazeId =
      id.kind === "external_id" ? this.#byExternalId.get(id.value) : this.#byAlias.get(aliasKey(id.value));
    return brazeId === undefined ? undefined : this.#users.get(brazeId);
  }

  /**
   * Applies attributes to the named user, creating it unless update-only. Returns undefined when
   * Braze would ignore the object (update-only for a user it does not hold: no error is reported).
   */
  track(id: Identifier, attributes: Record<string, unknown>, updateOnly: boolean): StoredUser | undefined {
    const user = this.find(id);
    const now = new Date().toISOString();
    if (user) {
      Object.assign(user.attributes, attributes);
      user.updated_at = now;
      this.#recorder.write({ object: "users", op: "update", id: user.braze_id, values: attributes });
      return user;
    }
    if (updateOnly || id.kind === "braze_id") return undefined;
    const created: StoredUser = {
      braze_id: randomBytes(12).toString("hex"),
      external_id: id.kind === "external_id" ? id.value : null,
      user_aliases: id.kind === "user_alias" ? [{ ...id.value }] : [],
      attributes: { ...attributes },
      created_at: now,
      updated_at: now,
    };
    this.#users.set(created.braze_id, created);
    if (created.external_id !== null) this.#byExternalId.set(created.external_id, created.braze_id);
    for (const alias of created.user_aliases) this.#byAlias.set(aliasKey(alias), created.braze_id);
    this.#recorder.write({ object: "users", op: "create", id: created.braze_id, values: attributes });
    return created;
  }

  /** Deletes the named user; false when Braze holds none by that identifier. */
  delete(id: Identifier): boolean {
    const user = this.find(id);
    if (!user) return false;
    this.#users.delete(user.braze_id);
    if (user.external_id !== null) this.#byExternalId.delete(user.external_id);
    for (const alias of user.user_aliases) this.#byAlias.delete(aliasKey(alias));
    this.#recorder.write({ object: "users", op: "delete", id: user.braze_id, values: {} });
    return true;
  }

  list(): StoredUser[] {
    return [...this.#users.values()];
  }

  clear(): void {
    this.#users.clear();
    this.#byExternalId.clear();
    this.#byAlias.clear();
  }
}

function aliasKey(alias: UserAlias): string {
  return `${alias.alias_label}\u0000${alias.alias_name}`;
}
