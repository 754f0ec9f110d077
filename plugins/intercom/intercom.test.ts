import { setupServer } from "msw/node";
import { ConfigurationError, type DestinationRecord, RateLimitError, type WriteBatch } from "syncline/sdk";
import { makeDestinationContext } from "syncline/sdk/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIntercomFake, type IntercomFake } from "./fake/fake.ts";
import { intercomHandlers } from "./fake/handlers.ts";
import { FAKE_TOKEN, type IntercomFakeOptions } from "./fake/options.ts";
import intercom from "./index.ts";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
let fake: IntercomFake;
function useFake(options: IntercomFakeOptions = {}) {
  fake = createIntercomFake(options);
  server.resetHandlers(...intercomHandlers(fake));
}
beforeEach(() => useFake());

const context = (config: Record<string, unknown> = {}) =>
  makeDestinationContext(intercom, { accessToken: FAKE_TOKEN, ...config });
const record = (key: string, fields: DestinationRecord["fields"], remoteId?: string): DestinationRecord => ({
  key,
  keyValues: { id: key },
  fields,
  remoteId,
});
const write = (
  records: DestinationRecord[],
  operation: WriteBatch["operation"] = "upsert",
  options = {},
  ctx = context(),
) => intercom.write(ctx, { object: "contacts", operation, records, options });
const paths = () => fake.calls.map((call) => `${call.method} ${call.path.replace(/[0-9a-f]{24}/, "{id}")}`);

describe("intercom contacts", () => {
  it("creates a contact after searching by external_id, with custom attributes and the Intercom-Version header", async () => {
    const outcomes = await write([
      record("1", { external_id: "u1", email: "Ann@Example.com", plan: "pro", signed_up_at: "2024-01-02T00:00:00Z" }),
    ]);
    const [contact] = fake.records();
    expect(outcomes).toEqual([{ key: "1", status: "ok", remoteId: contact?.id }]);
    expect(contact).toMatchObject({
      role: "user",
      external_id: "u1",
      email: "ann@example.com",
      custom_attributes: { plan: "pro" },
      signed_up_at: 1704153600,
    });
    expect(paths()).toEqual(["POST /contacts/search", "POST /contacts"]);
    expect(fake.versions).toEqual(["2.11", "2.11"]);
  });

  it("updates the contact it finds by external_id, or by email with matchBy email", async () => {
    await write([record("1", { external_id: "u1", email: "a@example.com" })]);
    await write([record("1", { external_id: "u1", name: "Ann" })]);
    await write([record("1", { email: "a@example.com", name: "Ann B" })], "upsert", { matchBy: "email" });
    expect(fake.records()).toHaveLength(1);
    expect(fake.records()[0]?.name).toBe("Ann B");
    expect(paths().slice(2)).toEqual([
      "POST /contacts/search",
      "PUT /contacts/{id}",
      "POST /contacts/search",
      "PUT /contacts/{id}",
    ]);
  });

  it("uses one PUT when the remote id is known, and falls back to matching when it is gone", async () => {
    const [first] = await write([record("1", { external_id: "u1" })]);
    const remoteId = first?.status === "ok" ? first.remoteId : undefined;
    const before = fake.calls.length;
    await write([record("1", { external_id: "u1", name: "Known" }, remoteId)]);
    expect(fake.calls.length - before).toBe(1);
    const outcomes = await write([record("2", { external_id: "u2" }, "0123456789abcdef01234567")]);
    expect(outcomes[0]?.status).toBe("ok");
    expect(paths().slice(-3)).toEqual(["PUT /contacts/{id}", "POST /contacts/search", "POST /contacts"]);
  });

  it("rejects a refused contact with Intercom's code and message", async () => {
    const outcomes = await write([record("1", { external_id: "u1", email: "not-an-email" })]);
    expect(outcomes).toEqual([
      { key: "1", status: "reject", code: "parameter_invalid", message: "Email address is invalid" },
    ]);
  });

  it("rejects records with nothing to match by, and updates of unknown contacts", async () => {
    expect(await write([record("1", { name: "Nobody" })])).toMatchObject([{ status: "reject", code: "missing_id" }]);
    expect(await write([record("2", { external_id: "ghost" })], "update")).toMatchObject([
      { status: "reject", code: "not_found" },
    ]);
    expect(fake.records()).toHaveLength(0);
  });

  it("inserts with one POST and rejects a conflict", async () => {
    await write([record("1", { external_id: "u1" })], "insert");
    const outcomes = await write([record("2", { external_id: "u1" })], "insert");
    expect(outcomes[0]).toMatchObject({ status: "reject", code: "conflict" });
    expect(paths()).toEqual(["POST /contacts", "POST /contacts"]);
  });

  it("deletes by remote id (or archives), idempotently", async () => {
    const [created] = await write([record("1", { external_id: "u1" })]);
    const remoteId = created?.status === "ok" ? created.remoteId : undefined;
    const deletion = [record("1", {}, remoteId)];
    expect(await write(deletion, "delete")).toMatchObject([{ status: "ok" }]);
    expect(await write(deletion, "delete")).toMatchObject([{ status: "ok" }]);
    expect(await write([record("2", {})], "delete")).toMatchObject([{ status: "reject", code: "missing_id" }]);
    const [other] = await write([record("3", { external_id: "u3" })]);
    await write(
      [record("3", {}, other?.status === "ok" ? other.remoteId : undefined)],
      "delete",
      {},
      context({ deleteMode: "archive" }),
    );
    expect(fake.records()).toHaveLength(0);
    expect(paths().filter((path) => path.includes("archive"))).toEqual(["POST /contacts/{id}/archive"]);
  });
});

describe("intercom confirms a record only when Intercom answers for its contact", () => {
  const at = (method: string, path: string) => (request: Request) =>
    request.method === method && new URL(request.url).pathname === path;

  it("retries a deletion when the search answer has no list of contacts", async () => {
    fake.fail({ status: 200, match: at("POST", "/contacts/search"), body: { type: "list" }, times: 2 });
    const error = await write([record("1", { external_id: "u1" })], "delete").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "transient", code: "malformed_response" });
    const outcomes = await write([record("0", {}, "gone"), record("1", { external_id: "u1" })], "delete");
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["ok", "retry"]);
  });

  it("retries a create answered without the contact", async () => {
    fake.fail({ status: 200, match: at("POST", "/contacts"), body: {} });
    const outcomes = await write([record("1", { external_id: "u1", email: "a@example.com" })], "insert");
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["retry"]);
  });

  it("takes a 404 as already deleted only when Intercom says the contact is not found", async () => {
    fake.fail({ status: 404, match: at("DELETE", "/contacts/abc"), body: "<html>Not Found</html>" });
    const outcomes = await write([record("1", {}, "abc")], "delete");
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["reject"]);
  });
});

describe("intercom rate limits and errors", () => {
  it("turns 429 into a RateLimitError that waits for X-RateLimit-Reset", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 10_000 } });
    const ctx = context();
    await intercom.check(ctx);
    ctx.state.clear();
    const error = await write([record("1", { external_id: "u1" })], "upsert", {}, ctx).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(0);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(11_000);
    expect(fake.counters.rateLimited).toBe(1);
  });

  it("after X-RateLimit-Remaining: 0, pauses the destination until X-RateLimit-Reset", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 10_000 } });
    const ctx = context();
    await intercom.check(ctx);
    expect(ctx.pauses).toHaveLength(1);
    expect(ctx.pauses[0]!.ms).toBeGreaterThan(0);
    expect(ctx.pauses[0]!.ms).toBeLessThanOrEqual(11_000);
    expect(ctx.pauses[0]!.reason).toBe("Intercom rate limit used up (X-RateLimit-Remaining: 0)");
  });

  it("throws a TransientError for 5xx and a ConfigurationError for a bad token", async () => {
    fake.fail({ status: 500 });
    const error = await write([record("1", { external_id: "u1" })]).catch((caught: unknown) => caught);
    expect((error as { kind?: string }).kind).toBe("transient");
    await expect(intercom.check(context({ accessToken: "nope" }))).rejects.toBeInstanceOf(ConfigurationError);
  });

  it("paces at half of 1,666 calls per 10 s by default, one record per call", () => {
    const caps =
      typeof intercom.capabilities === "function" ? intercom.capabilities(context().config) : intercom.capabilities;
    expect(caps).toMatchObject({ maxRecords: 1, rateLimit: { requests: 833, windowMs: 10_000 } });
  });

  it("discovers contact attributes", async () => {
    useFake({ customAttributes: ["plan"] });
    const objects = (await intercom.discover?.(context())) ?? [];
    expect(objects[0]?.name).toBe("contacts");
    expect(objects[0]?.fields.map((field) => field.name)).toEqual(
      expect.arrayContaining(["email", "external_id", "custom_attributes.plan"]),
    );
  });

  it("types attributes in the SDK's vocabulary", async () => {
    useFake({ customAttributes: { plan: "string", seats: "integer", score: "float", vip: "boolean" } });
    const objects = (await intercom.discover?.(context())) ?? [];
    const types = Object.fromEntries((objects[0]?.fields ?? []).map((field) => [field.name, field.type]));
    expect(types).toMatchObject({
      email: "string",
      signed_up_at: "datetime",
      "custom_attributes.seats": "integer",
      "custom_attributes.score": "number",
      "custom_attributes.vip": "boolean",
      seats: "integer",
    });
  });

  it("sends a custom date attribute it discovered as Unix seconds", async () => {
    useFake({ customAttributes: { renewed_at: "date" } });
    const ctx = context();
    await intercom.discover?.(ctx);
    const outcomes = await write(
      [record("u1", { email: "d@example.com", external_id: "u1", renewed_at: "2024-01-02T00:00:10Z" })],
      "upsert",
      {},
      ctx,
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["ok"]);
    expect(fake.records()[0]?.custom_attributes).toEqual({ renewed_at: 1704153610 });
  });
});

describe("partial updates (sendChangedFieldsOnly)", () => {
  it("declares them, and names what contacts are matched by as the fields every record carries", () => {
    const caps =
      typeof intercom.capabilities === "function" ? intercom.capabilities({} as never) : intercom.capabilities;
    expect(caps.partialUpdate).toBe(true);
    expect(intercom.identifyingFields?.("contacts", {})).toEqual(["external_id", "email"]);
    expect(intercom.identifyingFields?.("contacts", { matchBy: "email" })).toEqual(["email"]);
  });
});
