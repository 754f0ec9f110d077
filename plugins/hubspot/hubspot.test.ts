import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import {
  ConfigurationError,
  type DestinationRecord,
  PermanentError,
  QuotaExhaustedError,
  RateLimitError,
  type WriteBatch,
} from "syncline/sdk";
import { makeDestinationContext } from "syncline/sdk/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHubSpotFake, type HubSpotFake } from "./fake/fake.ts";
import { HUBSPOT_URL, hubspotHandlers } from "./fake/handlers.ts";
import { FAKE_TOKEN, type HubSpotFakeOptions } from "./fake/options.ts";
import hubspot from "./index.ts";
import { pacedAtLimit } from "./rate-limit.ts";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());

let fake: HubSpotFake;
function useFake(options: HubSpotFakeOptions = {}) {
  fake = createHubSpotFake(options);
  server.resetHandlers(...hubspotHandlers(fake));
}
beforeEach(() => useFake());

const context = (config: Record<string, unknown> = {}) =>
  makeDestinationContext(hubspot, { accessToken: FAKE_TOKEN, ...config });

const record = (key: string, fields: DestinationRecord["fields"], remoteId?: string): DestinationRecord => ({
  key,
  keyValues: { id: key },
  fields,
  remoteId,
});
const batch = (
  records: DestinationRecord[],
  operation: WriteBatch["operation"] = "upsert",
  object = "contacts",
  options = {},
): WriteBatch => ({
  object,
  operation,
  records,
  options,
});

describe("hubspot upsert", () => {
  it("sends one batch/upsert by email and returns the HubSpot ids", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([record("1", { email: "a@example.com", firstname: "A" }), record("2", { email: "b@example.com", age: 3 })]),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["ok", "ok"]);
    const held = fake.records("contacts");
    expect(outcomes.map((outcome) => (outcome.status === "ok" ? outcome.remoteId : ""))).toEqual(
      held.map((item) => item.id),
    );
    expect(held[1]?.properties.age).toBe("3");
    expect(fake.calls.map((call) => call.path)).toEqual(["/crm/v3/objects/contacts/batch/upsert"]);
  });

  it("maps a 207 multi-status back to the failing record with HubSpot's message", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([
        record("good", { email: "ok@example.com" }),
        record("bad", { email: "nope" }),
        record("also", { email: "c@example.com" }),
      ]),
    );
    expect(outcomes.map((outcome) => [outcome.key, outcome.status])).toEqual([
      ["good", "ok"],
      ["bad", "reject"],
      ["also", "ok"],
    ]);
    const bad = outcomes[1];
    expect(bad?.status === "reject" && bad.code).toBe("VALIDATION_ERROR");
    expect(bad?.status === "reject" && bad.message).toContain("Email address nope is invalid");
  });

  it("maps errors by context.ids when HubSpot echoes no objectWriteTraceId", async () => {
    server.use(
      http.post(`${HUBSPOT_URL}/crm/v3/objects/contacts/batch/upsert`, () =>
        HttpResponse.json(
          {
            status: "COMPLETE",
            results: [{ id: "51", properties: { email: "x@example.com" } }],
            errors: [
              {
                status: "error",
                category: "VALIDATION_ERROR",
                message: "bad phone",
                context: { ids: ["Y@Example.com"] },
              },
            ],
          },
          { status: 207 },
        ),
      ),
    );
    const outcomes = await hubspot.write(
      context(),
      batch([record("y", { email: "Y@Example.com", phone: "x" }), record("x", { email: "X@example.com" })]),
    );
    expect(outcomes).toEqual([
      { key: "y", status: "reject", code: "VALIDATION_ERROR", message: "bad phone" },
      { key: "x", status: "ok", remoteId: "51" },
    ]);
  });

  it("rejects records without an id value and duplicates before calling HubSpot", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([
        record("1", { firstname: "no email" }),
        record("2", { email: "d@example.com" }),
        record("3", { email: "D@example.com" }),
      ]),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["1:reject", "2:ok", "3:reject"]);
    expect(outcomes[0]?.status === "reject" && outcomes[0].message).toContain('"email"');
    expect(fake.calls[0]?.records).toBe(1);
  });

  it("needs an idProperty for objects other than contacts", async () => {
    await expect(
      hubspot.write(context(), batch([record("1", { name: "Acme" })], "upsert", "companies")),
    ).rejects.toBeInstanceOf(ConfigurationError);
    const outcomes = await hubspot.write(
      context(),
      batch([record("1", { external_id: "e1", name: "Acme" })], "upsert", "companies", { idProperty: "external_id" }),
    );
    expect(outcomes[0]?.status).toBe("ok");
    expect(fake.records("companies")[0]?.properties).toMatchObject({ external_id: "e1", name: "Acme" });
  });

  it("writes custom objects by type id", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([record("w", { widget_id: "w-1", size: 2 })], "upsert", "2-12345", { idProperty: "widget_id" }),
    );
    expect(outcomes[0]?.status).toBe("ok");
    expect(fake.records("p_widgets")).toHaveLength(1);
  });

  it("throws a PermanentError when HubSpot refuses a whole multi-record batch, rejects a single record", async () => {
    useFake({ invalidMode: "reject-batch" });
    const records = [record("1", { email: "ok@example.com" }), record("2", { email: "broken" })];
    const error = await hubspot.write(context(), batch(records)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).message).toContain("Email address broken is invalid");
    const single = await hubspot.write(context(), batch([record("2", { email: "broken" })]));
    expect(single[0]).toMatchObject({ key: "2", status: "reject", code: "VALIDATION_ERROR" });
  });
});

describe("hubspot rate limits", () => {
  it("turns 429 into a RateLimitError waiting for Retry-After", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 4_000 } });
    const ctx = context();
    await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })]));
    ctx.state.clear();
    const error = await hubspot
      .write(ctx, batch([record("2", { email: "b@example.com" })]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(3_000);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(4_000);
    expect(fake.counters.rateLimited).toBe(1);
  });

  it("uses the interval header when a 429 has no Retry-After", async () => {
    server.use(
      http.post(`${HUBSPOT_URL}/crm/v3/objects/contacts/batch/upsert`, () =>
        HttpResponse.json(
          {
            status: "error",
            message: "You have reached your ten_secondly_rolling limit.",
            policyName: "TEN_SECONDLY_ROLLING",
          },
          { status: 429, headers: { "x-hubspot-ratelimit-interval-milliseconds": "10000" } },
        ),
      ),
    );
    const error = await hubspot
      .write(context(), batch([record("1", { email: "a@example.com" })]))
      .catch((caught: unknown) => caught);
    expect((error as RateLimitError).retryAfterMs).toBe(10_000);
  });

  it("after a response with X-HubSpot-RateLimit-Remaining: 0, pauses the destination for HubSpot's interval", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 5_000 } });
    const ctx = context();
    const first = await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })]));
    expect(first[0]?.status).toBe("ok");
    expect(ctx.pauses).toHaveLength(1);
    expect(ctx.pauses[0]!.ms).toBeGreaterThan(4_000);
    expect(ctx.pauses[0]!.reason).toBe("HubSpot rate limit used up (X-HubSpot-RateLimit-Remaining: 0)");
  });

  it("reports the daily limit as a quota: from HubSpot's 429 DAILY, and as a pause once it is seen used up", async () => {
    useFake({ dailyLimit: 10, dailyUsed: 9 });
    const ctx = context();
    expect((await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })])))[0]?.status).toBe("ok");
    expect(ctx.pauses).toHaveLength(1);
    expect(ctx.pauses[0]!.ms).toBe(60 * 60 * 1000);
    expect(ctx.pauses[0]!.reason).toBeInstanceOf(QuotaExhaustedError);
    expect(ctx.pauses[0]!.reason).toMatchObject({ kind: "quota", resetsAt: undefined });
    const refused = await hubspot
      .write(context(), batch([record("2", { email: "b@example.com" })]))
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(QuotaExhaustedError);
    expect(refused).toMatchObject({ kind: "quota", code: "daily_limit", resetsAt: undefined });
    expect((refused as QuotaExhaustedError).quota).toContain("midnight in the account's time zone");
    expect(fake.counters.quotaExhausted).toBe(1);
  });

  it("does not pause on Remaining: 0 when its own declared pace fills HubSpot's window, nor after a 429", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 4_000 } });
    const ctx = context({ rateLimit: { requests: 1, windowMs: 4_000 } });
    await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })]));
    // The engine's pacing would hold this call; called directly, it reaches HubSpot (no pause of its own).
    const error = await hubspot
      .write(ctx, batch([record("2", { email: "b@example.com" })]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(fake.counters.rateLimited).toBe(1);
    // The 429's wait is the engine's to keep (Retry-After): the plugin orders no pause after it.
    expect(ctx.pauses).toEqual([]);
  });

  it("counts a pace as filling HubSpot's window only when it puts exactly its limit in one window", () => {
    const limits = { max: 190, intervalMs: 10_000 };
    expect(pacedAtLimit({ requests: 190, windowMs: 10_000 }, limits)).toBe(true);
    expect(pacedAtLimit({ requests: 19, windowMs: 1_000 }, limits)).toBe(true);
    expect(pacedAtLimit({ requests: 180, windowMs: 10_000 }, limits)).toBe(false);
    expect(pacedAtLimit({ requests: 40, windowMs: 2_000 }, { max: 20, intervalMs: 1_000 })).toBe(false);
    expect(pacedAtLimit({ requests: 20, windowMs: 1_000 }, {})).toBe(false);
  });

  it("paces by tier unless rateLimit is set", () => {
    const caps = (config: Record<string, unknown>) => {
      const ctx = context(config);
      return typeof hubspot.capabilities === "function" ? hubspot.capabilities(ctx.config) : hubspot.capabilities;
    };
    expect(caps({}).rateLimit).toEqual({ requests: 180, windowMs: 10_000 });
    expect(caps({ tier: "starter" }).rateLimit).toEqual({ requests: 95, windowMs: 10_000 });
    expect(caps({ rateLimit: { requests: 50, windowMs: 1_000 } }).rateLimit).toEqual({ requests: 50, windowMs: 1_000 });
    expect(caps({}).maxRecords).toBe(100);
  });

  it("throws a TransientError for 5xx", async () => {
    fake.fail({ status: 502 });
    const error = await hubspot
      .write(context(), batch([record("1", { email: "a@example.com" })]))
      .catch((caught: unknown) => caught);
    expect((error as { kind?: string }).kind).toBe("transient");
  });
});

describe("hubspot update, insert and delete", () => {
  it("updates by remote id, or by idProperty, and rejects records with neither", async () => {
    const ctx = context();
    const [created] = await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })]));
    const remoteId = created?.status === "ok" ? created.remoteId : undefined;
    await hubspot.write(ctx, batch([record("2", { email: "b@example.com" })]));
    const outcomes = await hubspot.write(
      ctx,
      batch(
        [
          record("1", { firstname: "By id" }, remoteId),
          record("2", { email: "B@example.com", firstname: "By email" }),
          record("3", { firstname: "Nobody" }),
          record("4", { email: "ghost@example.com" }),
        ],
        "update",
      ),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual([
      "1:ok",
      "2:ok",
      "3:reject",
      "4:reject",
    ]);
    expect(outcomes[3]).toMatchObject({ code: "OBJECT_NOT_FOUND" });
    expect(fake.records("contacts").map((item) => item.properties.firstname)).toEqual(["By id", "By email"]);
  });

  it("inserts with batch/create and maps conflicts per record", async () => {
    const ctx = context();
    await hubspot.write(ctx, batch([record("0", { email: "taken@example.com" })]));
    const outcomes = await hubspot.write(
      ctx,
      batch([record("1", { email: "new@example.com" }), record("2", { email: "taken@example.com" })], "insert"),
    );
    expect(outcomes[0]?.status).toBe("ok");
    expect(outcomes[1]).toMatchObject({ status: "reject", code: "CONFLICT" });
    expect(fake.calls.at(-1)?.path).toBe("/crm/v3/objects/contacts/batch/create");
  });

  it("archives by remote id, finds ids by email otherwise, and treats unknown records as gone", async () => {
    const ctx = context();
    const written = await hubspot.write(
      ctx,
      batch([record("1", { email: "a@example.com" }), record("2", { email: "b@example.com" })]),
    );
    const remoteId = written[0]?.status === "ok" ? written[0].remoteId : undefined;
    const outcomes = await hubspot.write(
      ctx,
      batch(
        [
          record("1", {}, remoteId),
          record("2", { email: "b@example.com" }),
          record("3", { email: "never@example.com" }),
          record("4", {}),
        ],
        "delete",
      ),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["1:ok", "2:ok", "3:ok", "4:reject"]);
    expect(fake.records("contacts")).toHaveLength(0);
    expect(fake.calls.slice(-2).map((call) => call.path)).toEqual([
      "/crm/v3/objects/contacts/batch/read",
      "/crm/v3/objects/contacts/batch/archive",
    ]);
  });
});

describe("hubspot confirms a record only when HubSpot names it", () => {
  const at = (action: string) => (request: Request) => request.url.endsWith(`/batch/${action}`);

  it("retries records when the results cannot be tied to them, however many there are", async () => {
    fake.fail({
      status: 200,
      match: at("upsert"),
      body: {
        status: "COMPLETE",
        results: [
          { id: "901", properties: {} },
          { id: "902", properties: {} },
        ],
      },
    });
    const outcomes = await hubspot.write(
      context(),
      batch([record("1", { email: "a@example.com" }), record("2", { email: "b@example.com" })]),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["1:retry", "2:retry"]);
  });

  it("retries a record HubSpot reports both a result and an error for", async () => {
    fake.fail({
      status: 207,
      match: at("upsert"),
      body: {
        status: "COMPLETE",
        results: [
          { id: "901", objectWriteTraceId: "0", properties: { email: "a@example.com" } },
          { id: "902", objectWriteTraceId: "1", properties: { email: "b@example.com" } },
        ],
        errors: [
          { status: "error", category: "VALIDATION_ERROR", message: "bad", context: { objectWriteTraceId: ["1"] } },
        ],
      },
    });
    const outcomes = await hubspot.write(
      context(),
      batch([record("1", { email: "a@example.com" }), record("2", { email: "b@example.com" })]),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["1:ok", "2:retry"]);
  });

  it("takes a record to archive as gone only when HubSpot's read reports it not found", async () => {
    fake.fail({ status: 200, match: at("read"), body: { status: "COMPLETE", results: [] } });
    const outcomes = await hubspot.write(context(), batch([record("3", { email: "c@example.com" })], "delete"));
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["3:retry"]);
  });
});

describe("hubspot check and discover", () => {
  it("check() passes with a good token and throws a ConfigurationError for a bad one", async () => {
    await expect(hubspot.check(context())).resolves.toBeUndefined();
    await expect(hubspot.check(context({ accessToken: "bad" }))).rejects.toBeInstanceOf(ConfigurationError);
  });

  it("never puts the token in errors", async () => {
    const error = await hubspot.check(context({ accessToken: "pat-secret-123" })).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).not.toContain("pat-secret-123");
  });

  it("discovers standard and custom objects with their properties", async () => {
    await hubspot.write(context(), batch([record("1", { email: "a@example.com", firstname: "A" })]));
    const objects = (await hubspot.discover?.(context())) ?? [];
    expect(objects.map((object) => object.name)).toEqual(["contacts", "companies", "deals", "2-12345"]);
    expect(objects[0]?.fields.map((field) => field.name)).toEqual(expect.arrayContaining(["email", "firstname"]));
    expect(objects[0]?.fields.map((field) => field.name)).not.toContain("hs_object_id");
  });

  it("types properties in the SDK's vocabulary, with options, aliases and required properties", async () => {
    const objects = (await hubspot.discover?.(context())) ?? [];
    const contacts = Object.fromEntries((objects[0]?.fields ?? []).map((field) => [field.name, field]));
    expect(contacts.annualrevenue).toMatchObject({ type: "number", nativeType: "number" });
    expect(contacts.date_of_birth?.type).toBe("date");
    expect(contacts.last_order_at?.type).toBe("datetime");
    expect(contacts.newsletter_opt_in?.type).toBe("boolean");
    expect(contacts.lifecyclestage).toMatchObject({ type: "string", nativeType: "enumeration" });
    expect(contacts.lifecyclestage?.enum).toContain("customer");
    expect(contacts.createdate).toBeUndefined();
    expect(objects[0]?.aliases).toEqual(["0-1"]);
    const widgets = objects[3]!;
    expect(widgets.aliases).toEqual(["widgets", "p_widgets"]);
    expect(widgets.fields.find((field) => field.name === "widget_id")?.required).toBe(true);
  });

  it("describes only the objects asked for, in one call each", async () => {
    const before = fake.calls.length;
    const contacts = (await hubspot.discover?.(context(), { objects: ["contacts"] })) ?? [];
    expect(contacts.map((object) => object.name)).toEqual(["contacts"]);
    expect(fake.calls.length - before).toBe(1);
    const custom = (await hubspot.discover?.(context(), { objects: ["p_widgets"] })) ?? [];
    expect(custom.map((object) => object.name)).toEqual(["2-12345"]);
    expect(fake.calls.length - before).toBe(2);
  });

  it("refuses a value its property's type does not take, as HubSpot does", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([
        record("1", { email: "a@example.com", annualrevenue: "lots" }),
        record("2", { email: "b@example.com", date_of_birth: "2024-01-02T10:00:00Z" }),
        record("3", { email: "c@example.com", date_of_birth: "2024-01-02", annualrevenue: 5 }),
      ]),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["reject", "reject", "ok"]);
    expect(JSON.stringify(outcomes)).toContain("INVALID_FLOAT");
    expect(JSON.stringify(outcomes)).toContain("not at midnight UTC");
  });
});

describe("partial updates (sendChangedFieldsOnly)", () => {
  it("declares them, and names the idProperty as the field every record carries", () => {
    const caps = typeof hubspot.capabilities === "function" ? hubspot.capabilities({} as never) : hubspot.capabilities;
    expect(caps.partialUpdate).toBe(true);
    expect(hubspot.identifyingFields?.("contacts", {})).toEqual(["email"]);
    expect(hubspot.identifyingFields?.("companies", { idProperty: "domain" })).toEqual(["domain"]);
    expect(hubspot.identifyingFields?.("deals", {})).toEqual([]);
  });
});
