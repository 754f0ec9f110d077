import { setupServer } from "msw/node";
import {
  ConfigurationError,
  type DestinationRecord,
  PermanentError,
  RateLimitError,
  TransientError,
  type WriteBatch,
} from "syncline/sdk";
import { makeDestinationContext } from "syncline/sdk/testing";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { brazeSyncOptions } from "./config.ts";
import { type BrazeFake, createBrazeFake } from "./fake/fake.ts";
import { brazeHandlers } from "./fake/handlers.ts";
import { type BrazeFakeOptions, FAKE_API_KEY } from "./fake/options.ts";
import braze from "./index.ts";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
let fake: BrazeFake;
function useFake(options: BrazeFakeOptions = {}) {
  fake = createBrazeFake(options);
  server.resetHandlers(...brazeHandlers(fake));
}
beforeEach(() => useFake());

const context = (config: Record<string, unknown> = {}) =>
  makeDestinationContext(braze, { apiKey: FAKE_API_KEY, ...config });
const record = (key: string, fields: DestinationRecord["fields"], remoteId?: string): DestinationRecord => ({
  key,
  keyValues: { id: key },
  fields,
  remoteId,
});
const write = (
  records: DestinationRecord[],
  operation: WriteBatch["operation"] = "upsert",
  options: Record<string, unknown> = {},
  ctx = context(),
) => braze.write(ctx, { object: "users", operation, records, options });
const people = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => record(String(from + i), { external_id: `u${from + i}`, first_name: "F" }));
const held = () => fake.records().map((user) => user.external_id ?? user.user_aliases[0]?.alias_name);

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

describe("braze answers", () => {
  it("a 429 becomes a RateLimitError until X-RateLimit-Reset (3 s when Braze names none)", async () => {
    const answer429 = (headers: Record<string, string>) =>
      server.resetHandlers(
        ...brazeHandlers({
          ...fake,
          fetch: async () => new Response(JSON.stringify({ message: "Too Many Requests" }), { status: 429, headers }),
        }),
      );
    const reset = Math.ceil(Date.now() / 1000) + 5;
    answer429({ "x-ratelimit-reset": String(reset), "x-ratelimit-remaining": "0" });
    const timed = (await write(people(1)).catch((error: unknown) => error)) as RateLimitError;
    expect(timed).toBeInstanceOf(RateLimitError);
    expect(timed.retryAfterMs).toBeGreaterThan(3_000);
    expect(timed.retryAfterMs).toBeLessThanOrEqual(6_000);
    answer429({});
    const bare = (await write(people(1)).catch((error: unknown) => error)) as RateLimitError;
    expect(bare).toBeInstanceOf(RateLimitError);
    expect(bare.retryAfterMs).toBe(3_000);
  });

  it("pauses the endpoint when X-RateLimit-Remaining reaches 0, without calling until the reset", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 60_000 } });
    const ctx = context();
    await write(people(1), "upsert", {}, ctx);
    const error = await write(people(1, 2), "upsert", {}, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(fake.calls).toHaveLength(1);
  });

  it("classifies refusals: 5xx transient, 401/403 the key, 404 the baseUrl, other 400 permanent", async () => {
    fake.fail({ status: 503 });
    expect(await write(people(1)).catch((e: unknown) => e)).toBeInstanceOf(TransientError);
    fake.setApiKey("rotated");
    const unauthorized = (await write(people(1)).catch((e: unknown) => e)) as ConfigurationError;
    expect(unauthorized).toBeInstanceOf(ConfigurationError);
    expect(unauthorized).toMatchObject({ code: "http_401", path: "apiKey" });
    expect(unauthorized.message).not.toContain(FAKE_API_KEY);
    useFake({ permissions: ["users.track"] });
    const forbidden = await write([record("1", {}, "u1")], "delete").catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ kind: "configuration", code: "http_403" });
    expect(forbidden).toMatchObject({ fix: expect.stringMatching(/users\.delete/) });
    useFake();
    const wrongUrl = context({ baseUrl: "https://rest.iad-01.braze.com/v9" });
    const missing = await write(people(1), "upsert", {}, wrongUrl).catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: "configuration", code: "http_404", path: "baseUrl" });
  });

  it("a 400 naming no record throws a PermanentError for a batch, and rejects a single record", async () => {
    server.resetHandlers(
      ...brazeHandlers({
        ...fake,
        fetch: async () => new Response(JSON.stringify({ message: "Invalid JSON in request body" }), { status: 400 }),
      }),
    );
    expect(await write(people(2)).catch((e: unknown) => e)).toBeInstanceOf(PermanentError);
    expect(await write(people(1))).toEqual([
      { key: "1", status: "reject", code: "http_400", message: "Invalid JSON in request body" },
    ]);
  });

  it("retries records a 2xx does not confirm: no success message, or an error naming no record", async () => {
    const answer = (body: unknown, status = 201) =>
      server.resetHandlers(
        ...brazeHandlers({ ...fake, fetch: async () => new Response(JSON.stringify(body), { status }) }),
      );
    answer({ message: "queued" }, 202);
    expect((await write(people(2))).map((outcome) => outcome.status)).toEqual(["ok", "ok"]);
    answer({ message: "something else" });
    expect((await write(people(1)))[0]).toMatchObject({ status: "retry", code: "malformed_response" });
    answer({ message: "success", errors: [{ type: "odd", input_array: "attributes", index: 9 }] });
    expect((await write(people(2))).map((outcome) => outcome.status)).toEqual(["retry", "retry"]);
    answer({ message: NO_DATA, errors: [{ type: "'email' is not valid", input_array: "attributes", index: 0 }] }, 400);
    expect((await write(people(2))).map((outcome) => outcome.status)).toEqual(["reject", "retry"]);
  });
});

const NO_DATA = "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";

describe("braze /users/delete", () => {
  it("deletes by remote id in calls of at most 50; records never delivered are rejected", async () => {
    await write(people(75));
    await write(people(45, 76));
    const deletions = people(120).map((item) => record(item.key, {}, `u${item.key}`));
    deletions.push(record("999", {}));
    const outcomes = await write(deletions, "delete");
    expect(outcomes.filter((outcome) => outcome.status === "ok")).toHaveLength(120);
    expect(outcomes.at(-1)).toMatchObject({ key: "999", status: "reject", code: "missing_id" });
    expect(fake.calls.filter((call) => call.path === "/users/delete").map((call) => call.records)).toEqual([
      50, 50, 20,
    ]);
    expect(fake.records()).toEqual([]);
    expect((await write(deletions.slice(0, 3), "delete")).map((outcome) => outcome.status)).toEqual(["ok", "ok", "ok"]);
  });

  it("keeps the calls already answered when a later one fails, retrying the rest with the wait", async () => {
    await write(people(75));
    const deletions = people(75).map((item) => record(item.key, {}, `u${item.key}`));
    fake.fail({ status: 503, match: () => fake.calls.some((call) => call.path === "/users/delete") });
    const outcomes = await write(deletions, "delete");
    expect(outcomes.slice(0, 50).every((outcome) => outcome.status === "ok")).toBe(true);
    expect(outcomes.slice(50).every((outcome) => outcome.status === "retry")).toBe(true);
    expect(fake.records()).toHaveLength(25);
  });

  it("paces /users/delete by its own limit, shared by the destination instance", async () => {
    const ctx = context({ deleteRateLimit: { requests: 1, windowMs: 60_000 } });
    const deletions = people(75).map((item) => record(item.key, {}, `u${item.key}`));
    const outcomes = await write(deletions, "delete", {}, ctx);
    expect(outcomes[74]).toMatchObject({ status: "retry", code: "rate_limited", retryAfterMs: expect.any(Number) });
    expect(await write(deletions.slice(0, 1), "delete", {}, ctx).catch((e: unknown) => e)).toBeInstanceOf(
      RateLimitError,
    );
    expect(fake.calls).toHaveLength(1);
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
