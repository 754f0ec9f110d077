import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { brazeSyncOptions } from "./config.ts";
import braze from "./index.ts";
import { context, fake, held, people, record, useBrazeServer, useFake, write } from "./test-helpers.ts";

useBrazeServer();

describe("braze /users/track", () => {
  it("upserts a batch as one call of attribute objects, the external_id as remote id", async () => {
    const outcomes = await write([
      record("1", { external_id: "u1", email: "a@example.com", plan: "pro", tags: ["a", "b"], profile: { tier: 2 } }),
      record("2", { external_id: "u2", first_name: "Bo", dob: "1990-04-01", vip: true }),
    ]);
    expect(outcomes).toEqual([
      { key: "1", status: "ok", remoteId: "u1" },
      { key: "2", status: "ok", remoteId: "u2" },
    ]);
    expect(fake.calls.map((call) => `${call.path} ${call.records}`)).toEqual(["/users/track 2"]);
    expect(fake.records()[0]?.attributes).toEqual({
      email: "a@example.com",
      plan: "pro",
      tags: ["a", "b"],
      profile: { tier: 2 },
    });
    expect(fake.records()[1]?.attributes).toMatchObject({ dob: "1990-04-01", vip: true });
  });

  it("updates in update-only mode: users Braze does not hold are not created", async () => {
    await write([record("1", { external_id: "u1", plan: "free" })]);
    const outcomes = await write(
      [record("1", { external_id: "u1", plan: "pro" }), record("2", { external_id: "u2", plan: "pro" })],
      "update",
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["ok", "ok"]);
    expect(held()).toEqual(["u1"]);
    expect(fake.records()[0]?.attributes.plan).toBe("pro");
  });

  it("writes and deletes users by alias under the sync's label, creating them explicitly", async () => {
    const options = { identifier: "user_alias", aliasLabel: "crm_id" };
    const outcomes = await write([record("1", { alias_name: "c-1", plan: "pro" })], "upsert", options);
    expect(outcomes).toEqual([{ key: "1", status: "ok", remoteId: "c-1" }]);
    expect(fake.records()[0]).toMatchObject({
      external_id: null,
      user_aliases: [{ alias_name: "c-1", alias_label: "crm_id" }],
      attributes: { plan: "pro" },
    });
    const deleted = await write([record("1", {}, "c-1")], "delete", options);
    expect(deleted).toEqual([{ key: "1", status: "ok", remoteId: "c-1" }]);
    expect(fake.records()).toEqual([]);
  });

  it("rejects the records Braze names in errors[] with its reason; the others are ok", async () => {
    useFake({ validate: (object) => (object.plan === "gold" ? "'plan' is not a known plan" : undefined) });
    const outcomes = await write([
      record("1", { external_id: "u1", email: "a@example.com" }),
      record("2", { external_id: "u2", email: "not-an-email" }),
      record("3", { external_id: "u3", plan: "gold" }),
    ]);
    expect(outcomes).toEqual([
      { key: "1", status: "ok", remoteId: "u1" },
      { key: "2", status: "reject", code: "braze_refused", message: "'email' is not valid" },
      { key: "3", status: "reject", code: "braze_refused", message: "'plan' is not a known plan" },
    ]);
    expect(held()).toEqual(["u1"]);
  });

  it("rejects every record Braze names when it refuses the whole call (400)", async () => {
    const outcomes = await write([
      record("1", { external_id: "u1", gender: "X" }),
      record("2", { external_id: "u2", dob: "x" }),
    ]);
    expect(outcomes).toEqual([
      { key: "1", status: "reject", code: "braze_refused", message: "'gender' is not valid" },
      { key: "2", status: "reject", code: "braze_refused", message: "'dob' is not valid" },
    ]);
  });

  it("rejects values Braze cannot hold before sending, naming the field, and sends the rest", async () => {
    const outcomes = await write([
      record("1", { external_id: "u1", bio: "x".repeat(256) }),
      record("2", { external_id: null, first_name: "No id" }),
      record("3", { external_id: "u3", bio: "x".repeat(255) }),
    ]);
    expect(outcomes[0]).toMatchObject({
      status: "reject",
      code: "invalid_value",
      message: expect.stringMatching(/^bio: 256 characters/),
    });
    expect(outcomes[1]).toMatchObject({
      status: "reject",
      code: "missing_id",
      message: expect.stringMatching(/external_id/),
    });
    expect(outcomes[2]).toEqual({ key: "3", status: "ok", remoteId: "u3" });
    expect(fake.calls.map((call) => call.records)).toEqual([1]);
  });

  it("sends 75 records in one call, as Braze allows", async () => {
    const outcomes = await write(people(75));
    expect(outcomes.every((outcome) => outcome.status === "ok")).toBe(true);
    expect(fake.calls.map((call) => call.records)).toEqual([75]);
    expect(braze.capabilities).toBeTypeOf("function");
  });
});

describe("braze check, options and discovery", () => {
  it("check() passes with a working key and names the key when Braze refuses it", async () => {
    await expect(braze.check(context())).resolves.toBeUndefined();
    fake.setApiKey("rotated");
    await expect(braze.check(context())).rejects.toMatchObject({ kind: "configuration", path: "apiKey" });
  });

  it("needs aliasLabel with identifier user_alias, and refuses unknown options", () => {
    const result = v.safeParse(brazeSyncOptions, { identifier: "user_alias" });
    expect(result.success).toBe(false);
    expect(result.success ? "" : v.summarize(result.issues)).toMatch(/aliasLabel/);
    expect(v.safeParse(brazeSyncOptions, { identifier: "user_alias", aliasLabel: "crm_id" }).success).toBe(true);
    expect(v.safeParse(brazeSyncOptions, { idProperty: "email" }).success).toBe(false);
  });

  it("discovers users with Braze's standard fields and their types", async () => {
    const [users] = (await braze.discover?.(context())) ?? [];
    expect(users?.name).toBe("users");
    expect(users?.fields).toContainEqual({ name: "dob", type: "date" });
    expect(users?.fields).toContainEqual({ name: "external_id", type: "string" });
    const types = new Set(users?.fields.map((field) => field.type));
    for (const type of types)
      expect(["string", "number", "integer", "boolean", "date", "datetime", "json"]).toContain(type);
  });
});
